/**
 * The normalised service spec: every default resolved, every name derived.
 * This is what the CDK app, the projen components and the host driver read.
 * It is plain data (JSON-serialisable) so it can be written to the spec file.
 */
import type { ExporterRelease } from './exporter-releases';
import type { ResourceNames } from './names';
import type { Database, EcrSeverity, Egress, Platform, Registry, VeracodeSeverity } from './options';

export const SPEC_SCHEMA_VERSION = 2;

export type Tier = 'public' | 'private';

export interface AvailabilityZoneSpec {
  /** 0-based position; unpinned AZs are chosen by index from the region's list at deploy time. */
  readonly index: number;
  /** The letter used in names (`public-subnet-a`). */
  readonly letter: string;
  /** The AZ name when the options pin it, e.g. 'eu-west-1a'. */
  readonly name?: string;
}

export interface SubnetSpec {
  readonly name: string;
  readonly tier: Tier;
  readonly azIndex: number;
  readonly cidr: string;
  readonly totalAddresses: number;
  /** Total minus the five addresses AWS reserves in every subnet. */
  readonly usableAddresses: number;
}

export interface NetworkSpec {
  readonly cidr: string;
  readonly totalAddresses: number;
  readonly availabilityZones: readonly AvailabilityZoneSpec[];
  readonly subnets: readonly SubnetSpec[];
  readonly egress: Egress;
  readonly adminCidr?: string;
  readonly flowLogRetentionDays: number;
}

export interface HostsSpec {
  readonly count: number;
  readonly instanceType: string;
  readonly rootVolumeGiB: number;
  readonly dataVolumeGiB: number;
  readonly role: string;
  /** The pinned AMI; absent, the hosts follow the latest AL2023 public SSM parameter. */
  readonly imageId?: string;
}

export interface ContainerSpec {
  readonly port: number;
  readonly healthCheckPath: string;
  readonly cpu: number;
  readonly memoryMiB: number;
  readonly desiredCount: number;
  readonly maxCount: number;
  readonly cpuTargetPercent: number;
  readonly certificateArn?: string;
  readonly domain?: { readonly name: string; readonly hostedZoneId: string; readonly hostedZoneName: string };
  readonly keepImages: number;
  readonly imageContext: string;
}

export interface LogsSpec {
  readonly retentionDays: number;
  readonly openSearchInstanceType: string;
  readonly openSearchDataNodes: number;
  readonly openSearchVolumeGiB: number;
  readonly createServiceLinkedRole: boolean;
  readonly openSearchMasterNodes: number;
  readonly openSearchMasterInstanceType: string;
  readonly readerPrincipalArns: readonly string[];
}

export interface GitHubSpec {
  readonly owner: string;
  readonly repo: string;
  readonly branches: readonly string[];
  /** Set when the account's GitHub OIDC provider already exists and is reused. */
  readonly oidcProviderArn?: string;
  /** The access stack creates the provider (an account without one); otherwise it references oidcProviderArn or the account's deterministic ARN. */
  readonly createOidcProvider: boolean;
}

/**
 * After its wait the deploy job still uploads nothing but must stop the execution and see it stop
 * (CodePipeline's StopPipelineExecution with abandon=false waits for in-progress actions): room for that.
 */
export const DEPLOY_STOP_WINDOW_MINUTES = 15;
/** IAM's MaxSessionDuration range: 1 to 12 hours (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html). */
export const IAM_SESSION_SECONDS = { min: 3600, max: 43200 } as const;

export interface PipelineSpec {
  readonly registry: Registry;
  readonly dockerHubRepository?: string;
  readonly stages: { readonly sonar: boolean; readonly veracode: boolean; readonly image: boolean; readonly deploy: boolean };
  readonly secrets: {
    readonly sonarToken: string;
    readonly veracodeApiId: string;
    readonly veracodeApiKey: string;
    readonly dockerHubUsername: string;
    readonly dockerHubToken: string;
  };
  readonly deployRoleVariable: string;
  readonly imagePushRoleVariable: string;
  /** The repository variable the configure-hosts job reads the hosts-configuration role ARN from. */
  readonly hostsRoleVariable: string;
  /** The deploy job's wait for the execution, passed to the codepipeline-deploy action. */
  readonly deployWaitMinutes: number;
  /** The deploy role's MaxSessionDuration and the credentials' role-duration-seconds: the wait plus the stop window, whole hours. */
  readonly deploySessionSeconds: number;
  /** The deploy job's timeout-minutes: the wait plus the stop window, never longer than the session. */
  readonly deployJobTimeoutMinutes: number;
  readonly codeScanning: boolean;
  readonly appTestCommand: string;
  readonly appTestPackages: readonly string[];
  readonly sourceBucketVariable: string;
  readonly sonar: { readonly hostUrl: string; readonly organization: string; readonly projectKey: string };
  readonly imageScanThreshold: EcrSeverity;
  readonly veracodeFailOnSeverity: VeracodeSeverity;
  readonly nodeVersion: string;
}

export interface MonitoringSpec {
  readonly nodeExporterVersion: string;
  readonly nodeExporterPort: number;
  readonly processExporterVersion: string;
  readonly processExporterPort: number;
  readonly processNames: readonly string[];
  readonly logFiles: readonly string[];
  /** Set only when the releases come from a mirror; no trailing slash. */
  readonly releasesMirror?: string;
  /** Each exporter's release folder, checksums file and program (src/spec/exporter-releases.ts). */
  readonly releases: { readonly nodeExporter: ExporterRelease; readonly processExporter: ExporterRelease };
}

/** Where a stage sits on the promotion path. */
export interface StageSpec {
  /** The stage's name (a DNS label); every name of the stage carries it. Equals `environment`. */
  readonly name: string;
  /** 0-based position in promotion order. */
  readonly index: number;
  /** The stage promoted from (the one before), if any. */
  readonly previous?: string;
  /** The stage promoted to next, if any. */
  readonly next?: string;
}

/**
 * The one image repository every stage deploys from: the image is built and pushed once, into the
 * first stage's account and region, and each stage pulls that exact digest.
 */
export interface ImageRepositorySpec {
  readonly name: string;
  /** The stage whose account and region hold it (the first stage). */
  readonly ownerStage: string;
  readonly region: string;
  /** Set when the owner stage pins its account. */
  readonly account?: string;
  /** The other accounts whose stages pull from it (cross-account pull); empty when every stage shares the account. */
  readonly pullAccounts: readonly string[];
}

/**
 * One stage of the service, complete: every default resolved, every name carrying the stage. The CDK app
 * builds one set of stacks from each; the host driver configures one at a time.
 */
export interface ServiceSpec {
  readonly schemaVersion: typeof SPEC_SCHEMA_VERSION;
  readonly serviceName: string;
  readonly region: string;
  readonly account?: string;
  /** The stage's name: also its GitHub Environment and the `slipway:environment` tag. */
  readonly environment: string;
  readonly protectedEnvironment: boolean;
  readonly stage: StageSpec;
  readonly imageRepository: ImageRepositorySpec;
  readonly names: ResourceNames;
  /** Tags on every resource; the Ansible inventory and Prometheus discovery select on these. */
  readonly tags: Readonly<Record<string, string>>;
  readonly network: NetworkSpec;
  readonly hosts: HostsSpec;
  readonly platform: Platform;
  readonly container: ContainerSpec;
  readonly database: Database;
  readonly logs: LogsSpec;
  readonly alarms: { readonly email?: string };
  readonly github: GitHubSpec;
  readonly pipeline: PipelineSpec;
  readonly monitoring: MonitoringSpec;
}

/**
 * The whole service: its stages in promotion order, each a complete ServiceSpec. What is the same for every
 * stage (the repository, the pipeline, the exporters, the platform and database kind) is repeated here.
 * This is what `npx projen` writes to the spec file.
 */
export interface EstateSpec {
  readonly schemaVersion: typeof SPEC_SCHEMA_VERSION;
  readonly serviceName: string;
  readonly stages: readonly ServiceSpec[];
  readonly imageRepository: ImageRepositorySpec;
  readonly platform: Platform;
  readonly database: Database;
  readonly github: GitHubSpec;
  readonly pipeline: PipelineSpec;
  readonly monitoring: MonitoringSpec;
}

/** The tag keys Slipway puts on resources. */
export const TAG_SERVICE = 'slipway:service';
export const TAG_ROLE = 'slipway:role';
export const TAG_ENVIRONMENT = 'slipway:environment';

/** The pipeline's configure-hosts job gives up after this long (a run over SSM takes minutes per batch of hosts). */
export const CONFIGURE_HOSTS_TIMEOUT_MINUTES = 45;
/** The hosts-configuration role's session: IAM's one-hour floor for MaxSessionDuration, longer than the job. */
export const CONFIGURE_HOSTS_SESSION_SECONDS = 3600;
