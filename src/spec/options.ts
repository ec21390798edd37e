/**
 * The options a service team sets in `.projenrc.ts`. Everything else in the
 * repository is derived from these through `normaliseServiceOptions`.
 * Every field is documented with its default; unknown fields are rejected.
 */

export const PLATFORMS = ['ecs-fargate', 'eks'] as const;
export type Platform = (typeof PLATFORMS)[number];

export const DATABASES = ['dynamodb', 'aurora-postgresql', 'none'] as const;
export type Database = (typeof DATABASES)[number];

export const EGRESS_MODES = ['none', 'nat-gateway', 'nat-gateway-per-az'] as const;
export type Egress = (typeof EGRESS_MODES)[number];

export const REGISTRIES = ['ecr', 'dockerhub'] as const;
export type Registry = (typeof REGISTRIES)[number];

export const ECR_SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'NONE'] as const;
export type EcrSeverity = (typeof ECR_SEVERITIES)[number];

export const VERACODE_SEVERITIES = ['very-high', 'high', 'medium', 'low', 'very-low', 'none'] as const;
export type VeracodeSeverity = (typeof VERACODE_SEVERITIES)[number];

export interface ServiceOptions {
  /** Lowercase DNS label (a–z, 0–9, '-'), starting with a letter; every resource name derives from it. */
  readonly serviceName: string;
  /** AWS region the service is deployed to, e.g. 'eu-west-1'; one aws-cdk-lib knows (aws-cdk-lib/region-info). */
  readonly region: string;
  /** 12-digit AWS account id. @default - environment-agnostic stacks (account resolved at deploy time) */
  readonly account?: string;
  /**
   * The one stage's name when `stages` is not set; also its GitHub Environment. Use `stages` to promote
   * through more than one. @default 'production'
   */
  readonly environment?: string;
  /**
   * A protected environment gets a manual approval stage in CodePipeline, serves HTTPS only and keeps its load balancer
   * from deletion; it needs container.certificateArn or container.domain. @default - true when the service has HTTPS
   * (certificateArn or domain), false until then
   */
  readonly protectedEnvironment?: boolean;
  /**
   * The stages a build is promoted through, in order (e.g. staging then production): each deploys the same
   * image and cloud assembly once the stage before it succeeded. The service-level options are every stage's
   * defaults; a stage overrides what differs. Replaces `environment` and `protectedEnvironment`.
   * @default - one stage named `environment`
   */
  readonly stages?: readonly StageOptions[];
  /** The VPC and its subnets. */
  readonly network: NetworkOptions;
  /** The EC2 hosts that Ansible configures. @default - two t3.small hosts */
  readonly hosts?: HostsOptions;
  /** Where the service's containers run. @default 'ecs-fargate' */
  readonly platform?: Platform;
  /** The service's container. @default - see ContainerOptions */
  readonly container?: ContainerOptions;
  /** The service's database. @default 'dynamodb' */
  readonly database?: Database;
  /** Logs: retention and the OpenSearch domain (the ELK role). */
  readonly logs?: LogsOptions;
  /** Alarms. */
  readonly alarms?: AlarmOptions;
  /** The GitHub repository the pipeline runs in; its OIDC deploy role trusts only this. */
  readonly github: GitHubOptions;
  /** The generated GitHub Actions pipeline. */
  readonly pipeline?: PipelineOptions;
  /** Host monitoring: the exporters Ansible installs. */
  readonly monitoring?: MonitoringOptions;
}

/** One stage of the promotion path: its name, where it deploys, and what differs from the service-level options. */
export interface StageOptions {
  /** A lowercase DNS label such as 'staging'; every name of the stage carries it, and it is the stage's GitHub Environment. */
  readonly name: string;
  /** 12-digit AWS account id. @default - the service's `account`, else resolved at deploy time */
  readonly account?: string;
  /** AWS region. @default - the service's `region` */
  readonly region?: string;
  /**
   * A protected stage waits for its GitHub Environment's approval and a CodePipeline approval showing what will
   * change, serves HTTPS only and keeps its load balancer from deletion; it needs a certificate or domain.
   * @default - true when the stage has HTTPS (certificateArn or domain), false until then
   */
  readonly protected?: boolean;
  /**
   * A protected stage followed by an unprotected one is refused as a likely mistake (promotion runs from the
   * least to the most guarded stage); set this on the protected stage when the order is meant. @default false
   */
  readonly promotesToUnprotected?: boolean;
  /** The stage's network: merged over the service-level `network` (give cidr with its subnets). */
  readonly network?: Partial<NetworkOptions>;
  /** The stage's hosts: merged over the service-level `hosts`. */
  readonly hosts?: HostsOptions;
  /** The stage's task count and size and its certificate: merged over the service-level `container`. */
  readonly container?: StageContainerOptions;
  /** The stage's OpenSearch sizing and log retention: merged over the service-level `logs`. */
  readonly logs?: StageLogsOptions;
  /** Who the stage's alarms notify: merged over the service-level `alarms`. */
  readonly alarms?: AlarmOptions;
}

/** What a stage may set differently from the service-level container options. */
export type StageContainerOptions = Pick<
  ContainerOptions,
  'cpu' | 'memoryMiB' | 'desiredCount' | 'maxCount' | 'cpuTargetPercent' | 'certificateArn' | 'domain'
>;

/** What a stage may set differently from the service-level logs options. */
export type StageLogsOptions = Pick<
  LogsOptions,
  'retentionDays' | 'openSearchInstanceType' | 'openSearchDataNodes' | 'openSearchVolumeGiB' | 'openSearchMasterNodes' | 'openSearchMasterInstanceType' | 'readerPrincipalArns'
>;

/** The keys each override section of a stage accepts (checked against the types above by a test). */
export const STAGE_OVERRIDE_KEYS = {
  network: ['cidr', 'availabilityZones', 'publicSubnets', 'privateSubnets', 'egress', 'adminCidr', 'flowLogRetentionDays'],
  hosts: ['count', 'instanceType', 'rootVolumeGiB', 'dataVolumeGiB', 'role', 'imageId'],
  container: ['cpu', 'memoryMiB', 'desiredCount', 'maxCount', 'cpuTargetPercent', 'certificateArn', 'domain'],
  logs: ['retentionDays', 'openSearchInstanceType', 'openSearchDataNodes', 'openSearchVolumeGiB', 'openSearchMasterNodes', 'openSearchMasterInstanceType', 'readerPrincipalArns'],
  alarms: ['email'],
} as const satisfies Record<string, readonly string[]>;

export interface NetworkOptions {
  /** The VPC's IPv4 block, /16 to /28, a network address. */
  readonly cidr: string;
  /** How many availability zones (2–6), or their names pinned (e.g. ['eu-west-1a', 'eu-west-1b']). */
  readonly availabilityZones: number | readonly string[];
  /** One public subnet per availability zone, in order. */
  readonly publicSubnets: readonly string[];
  /** One private subnet per availability zone, in order. */
  readonly privateSubnets: readonly string[];
  /** Outbound internet for private subnets: none (VPC endpoints only), one NAT gateway, or one per AZ. @default 'none' */
  readonly egress?: Egress;
  /**
   * A CIDR allowed to reach SSH (22) through the network ACLs and the hosts' security group; at most a /8 by
   * Slipway's policy (never the internet). Not needed for host management, which runs over SSM. @default - SSH closed
   */
  readonly adminCidr?: string;
  /** VPC flow log retention in days (a CloudWatch Logs retention value). @default 90 */
  readonly flowLogRetentionDays?: number;
}

export interface HostsOptions {
  /**
   * How many EC2 hosts (0 to 50), spread over the private subnets. 0 is allowed: no hosts, no host alarms,
   * and the hosts stack keeps only the instance role and transfer bucket, ready for hosts added later. @default 2
   */
  readonly count?: number;
  /** EC2 instance type. @default 't3.small' */
  readonly instanceType?: string;
  /** Encrypted gp3 root volume size in GiB. @default 20 */
  readonly rootVolumeGiB?: number;
  /** Size of an extra encrypted gp3 data volume in GiB; 0 for none. @default 0 */
  readonly dataVolumeGiB?: number;
  /** The `slipway:role` tag the Ansible inventory groups hosts by. @default 'app' */
  readonly role?: string;
  /**
   * The AMI the hosts run, pinned: an AMI id in the service's region, e.g. the current Amazon Linux 2023
   * from `aws ssm get-parameter --name /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64`.
   * Changing it replaces the hosts, so bump it on purpose. Unpinned, CloudFormation resolves that public
   * parameter on every deploy and a new AL2023 release replaces the hosts on the next one.
   * @default - the latest Amazon Linux 2023 for the instance architecture, resolved at each deploy
   */
  readonly imageId?: string;
}

export interface ContainerOptions {
  /** The port the container listens on. @default 8000 */
  readonly port?: number;
  /** The HTTP path the load balancer and container health checks call. @default '/health' */
  readonly healthCheckPath?: string;
  /** Fargate CPU units (256, 512, 1024, 2048, 4096). @default 256 */
  readonly cpu?: number;
  /** Fargate memory in MiB; must be valid for the CPU. @default 512 */
  readonly memoryMiB?: number;
  /** Tasks running normally. @default 2 */
  readonly desiredCount?: number;
  /** Upper bound for CPU autoscaling. @default 4 */
  readonly maxCount?: number;
  /** Autoscaling target for average CPU, in percent. @default 60 */
  readonly cpuTargetPercent?: number;
  /** ACM certificate ARN; when set the ALB listens on HTTPS and redirects HTTP. @default - issued for `domain` when set, else HTTP only */
  readonly certificateArn?: string;
  /** The service's DNS name in a Route 53 public hosted zone: an ACM certificate is issued (DNS validation) and an alias record points at the ALB. @default - no DNS name */
  readonly domain?: DomainOptions;
  /** How many images the ECR lifecycle rule keeps. @default 20 */
  readonly keepImages?: number;
  /** The directory holding the Dockerfile the image job builds. @default 'app' */
  readonly imageContext?: string;
}

export interface DomainOptions {
  /** The name the service answers on, e.g. 'app.example.com'; inside hostedZoneName. */
  readonly name: string;
  /** The Route 53 public hosted zone id, e.g. 'Z0123456789ABCDEFGHIJ'. */
  readonly hostedZoneId: string;
  /** The hosted zone's domain, e.g. 'example.com'. */
  readonly hostedZoneName: string;
}

export interface LogsOptions {
  /** Retention of the service's CloudWatch log groups in days. @default 30 */
  readonly retentionDays?: number;
  /** OpenSearch data node instance type. @default 't3.small.search' */
  readonly openSearchInstanceType?: string;
  /** OpenSearch data nodes; a multiple of the AZ count (zone awareness). @default the AZ count */
  readonly openSearchDataNodes?: number;
  /** EBS size per OpenSearch data node, GiB. @default 20 */
  readonly openSearchVolumeGiB?: number;
  /**
   * Create the account's OpenSearch service-linked role (AWSServiceRoleForAmazonOpenSearchService), which a VPC domain
   * needs before it is created. An account holds it once: creating it again fails, so leave this off where any
   * OpenSearch VPC domain (or the console) already created it. @default false
   */
  readonly createServiceLinkedRole?: boolean;
  /** OpenSearch dedicated master nodes: 0 or 3. @default 3 in a protected environment, else 0 */
  readonly openSearchMasterNodes?: number;
  /** Dedicated master instance type. @default 'm7g.large.search' */
  readonly openSearchMasterInstanceType?: string;
  /** IAM principals (ARNs) that may assume the log readers role. @default - principals of the service's own account that IAM allows to assume it */
  readonly readerPrincipalArns?: readonly string[];
}

export interface AlarmOptions {
  /** Email address subscribed to the alarm topic; a protected environment requires one. @default - no subscription */
  readonly email?: string;
}

export interface GitHubOptions {
  /** The repository owner (user or organisation). */
  readonly owner: string;
  /** The repository name. @default the service name */
  readonly repo?: string;
  /** Branches whose pushes may deploy. @default ['main'] */
  readonly branches?: readonly string[];
  /**
   * ARN of the account's existing GitHub OIDC provider; IAM allows one provider per URL per account,
   * so a second service in the same account must reuse the first one's. @default - arn:<partition>:iam::<account>:oidc-provider/token.actions.githubusercontent.com
   */
  readonly oidcProviderArn?: string;
  /**
   * Create the account's GitHub OIDC provider in the access stack. Only for an account that has none yet:
   * IAM allows one provider per URL per account, so a second creation fails with EntityAlreadyExists. @default false
   */
  readonly createOidcProvider?: boolean;
}

export interface PipelineStagesOptions {
  /** Run the Sonar scan. @default true */
  readonly sonar?: boolean;
  /** Run the Veracode pipeline scan. @default true */
  readonly veracode?: boolean;
  /** Build and push the image. @default true */
  readonly image?: boolean;
  /** Hand the release to CodePipeline. @default true */
  readonly deploy?: boolean;
}

export interface PipelineSecretsOptions {
  /** @default 'SONAR_TOKEN' */
  readonly sonarToken?: string;
  /** @default 'VERACODE_API_ID' */
  readonly veracodeApiId?: string;
  /** @default 'VERACODE_API_KEY' */
  readonly veracodeApiKey?: string;
  /** @default 'DOCKERHUB_USERNAME' */
  readonly dockerHubUsername?: string;
  /** @default 'DOCKERHUB_TOKEN' */
  readonly dockerHubToken?: string;
}

export interface SonarOptions {
  /** @default 'https://sonarcloud.io' */
  readonly hostUrl?: string;
  /** SonarCloud organisation. @default the GitHub owner, lowercased */
  readonly organization?: string;
  /** @default '<owner>_<repo>' */
  readonly projectKey?: string;
}

export interface PipelineOptions {
  /** Where images go. @default 'ecr' */
  readonly registry?: Registry;
  /** Docker Hub repository 'namespace/name'; required when registry is 'dockerhub'. */
  readonly dockerHubRepository?: string;
  /** Which stages run. */
  readonly stages?: PipelineStagesOptions;
  /** Names of the GitHub secrets the stages read. */
  readonly secrets?: PipelineSecretsOptions;
  /** The GitHub repository variable holding the deploy role ARN (the access stack's DeployRoleArn output). @default 'AWS_DEPLOY_ROLE_ARN' */
  readonly deployRoleVariable?: string;
  /** The GitHub repository variable holding the image-push role ARN (the access stack's ImagePushRoleArn output). @default 'AWS_IMAGE_PUSH_ROLE_ARN' */
  readonly imagePushRoleVariable?: string;
  /** The GitHub repository variable holding the hosts-configuration role ARN (the access stack's HostsConfigRoleArn output), read by the pipeline's configure-hosts job. @default 'AWS_HOSTS_ROLE_ARN' */
  readonly hostsRoleVariable?: string;
  /** How long the deploy job follows the CodePipeline execution before stopping it, in minutes (10–600). @default 60 */
  readonly deployWaitMinutes?: number;
  /**
   * Upload the Veracode findings to GitHub code scanning. Public repositories have code scanning;
   * private ones need GitHub Advanced Security, without which the upload is refused. The SARIF is
   * always kept as a workflow artifact. @default false
   */
  readonly codeScanning?: boolean;
  /** The app's own tests, run by the service checks from the image context directory. @default 'python3 -m pytest -q -p no:cacheprovider' */
  readonly appTestCommand?: string;
  /** Debian packages the app's tests need on the runner (apt-get); empty for none. @default ['python3-flask', 'python3-pytest'] */
  readonly appTestPackages?: readonly string[];
  /** The GitHub repository variable holding the pipeline's source bucket name (the delivery stack's output). @default 'PIPELINE_SOURCE_BUCKET' */
  readonly sourceBucketVariable?: string;
  /** Sonar settings. */
  readonly sonar?: SonarOptions;
  /** ECR scan findings at or above this fail the image job. @default 'HIGH' */
  readonly imageScanThreshold?: EcrSeverity;
  /** Veracode findings at or above this fail the scan job. @default 'high' */
  readonly veracodeFailOnSeverity?: VeracodeSeverity;
  /** Node.js major version the workflows set up (an LTS line: 22 or 24). @default '22' */
  readonly nodeVersion?: string;
}

export interface MonitoringOptions {
  /** node_exporter release installed on the hosts. @default '1.8.2' */
  readonly nodeExporterVersion?: string;
  /** @default 9100 */
  readonly nodeExporterPort?: number;
  /** process-exporter release. @default '0.8.3' */
  readonly processExporterVersion?: string;
  /** @default 9256 */
  readonly processExporterPort?: number;
  /** Process names (comm) process-exporter groups; empty groups every process by name. @default [] */
  readonly processNames?: readonly string[];
  /** Log files the CloudWatch agent ships to the service's log group. @default [] */
  readonly logFiles?: readonly string[];
  /**
   * A mirror of the exporter releases, laid out as `<mirror>/<release name>/v<version>/<file>`
   * (e.g. `https://artifacts.example/exporters/node_exporter/v1.8.2/sha256sums.txt`). Only the
   * machine running `configure-hosts` fetches from it; the hosts never need the internet.
   * @default - each project's GitHub releases
   */
  readonly releasesMirror?: string;
}
