/**
 * Every resource name derives from the service and stage names here, and only here.
 * Each name carries the limit of the AWS resource it names, so a service
 * name that is too long for any of them is rejected with the culprit named.
 */

import { KNOWN_REGIONS } from './regions';

export interface StackNames {
  readonly network: string;
  readonly hosts: string;
  readonly access: string;
  readonly platform: string;
  readonly data: string;
  readonly logs: string;
  readonly observability: string;
  readonly delivery: string;
}

export interface ResourceNames {
  readonly vpc: string;
  readonly internetGateway: string;
  readonly publicRouteTable: string;
  /** One private route table per AZ letter: `<service>-private-route-a`. */
  readonly privateRouteTablePrefix: string;
  /** One NAT gateway (and its Elastic IP) per AZ letter that has one: `<service>-nat-a`. */
  readonly natGatewayPrefix: string;
  /** The security group of the interface VPC endpoints. */
  readonly endpointSecurityGroup: string;
  readonly publicNetworkAcl: string;
  readonly privateNetworkAcl: string;
  readonly flowLogGroup: string;
  readonly hostRole: string;
  readonly hostSecurityGroup: string;
  readonly hostNamePrefix: string;
  /**
   * S3 bucket Ansible's SSM connection moves files through: `<prefix>-<account id>-<region>` (hostTransferBucketName),
   * since S3 names are global and the same service may run in two regions of one account.
   */
  readonly hostTransferBucketPrefix: string;
  readonly githubOidcProvider: string;
  readonly deployRole: string;
  readonly ecrRepository: string;
  readonly ecsCluster: string;
  readonly ecsService: string;
  readonly eksCluster: string;
  readonly loadBalancer: string;
  readonly targetGroup: string;
  readonly appLogGroup: string;
  readonly dynamoTable: string;
  /** The data bucket: `<prefix>-<account id>-<region>` (S3 names are global). */
  readonly dataBucketPrefix: string;
  readonly auroraCluster: string;
  readonly openSearchDomain: string;
  readonly logShipperFunction: string;
  readonly dashboard: string;
  readonly alarmTopic: string;
  /** Every CloudWatch alarm of the stage is named `<alarmPrefix>-<rule>`: alarm names are per account and region. */
  readonly alarmPrefix: string;
  readonly pipeline: string;
  readonly pipelineSourceKeyPrefix: string;
  readonly infraDeployProject: string;
  readonly stacks: StackNames;
}

/** AWS naming limits for the names that are length-bound. */
export interface Limited {
  readonly what: string;
  readonly name: string;
  readonly max: number;
}

/**
 * Every name of one stage of the service: `<service>-<stage>` is the stem, so any two stages (and any two
 * services) can share an account and region. The image repository alone is the service's, not the stage's:
 * one image is built and every stage deploys it.
 * @param region the stage's region: names AWS keeps account-wide across regions (the dashboard) carry it,
 *   so the same stage in a second region does not take over the first one's. Omitted only where names
 *   are derived to check their lengths, none of which involves the region.
 */
export function deriveNames(service: string, stage: string, region?: string): ResourceNames {
  const stem = `${service}-${stage}`;
  return {
    vpc: `vpc-${stem}`,
    internetGateway: `gateway-${stem}`,
    publicRouteTable: `${stem}-public-route`,
    privateRouteTablePrefix: `${stem}-private-route`,
    natGatewayPrefix: `${stem}-nat`,
    endpointSecurityGroup: `${stem}-endpoints`,
    publicNetworkAcl: `${stem}-public-nacl`,
    privateNetworkAcl: `${stem}-private-nacl`,
    flowLogGroup: `/slipway/${service}/${stage}/vpc-flow-logs`,
    hostRole: `${stem}-host`,
    hostSecurityGroup: `${stem}-hosts`,
    hostNamePrefix: `${stem}-host`,
    hostTransferBucketPrefix: `${stem}-hosts`,
    githubOidcProvider: `${stem}-github-oidc`,
    deployRole: `${stem}-github-deploy`,
    ecrRepository: imageRepositoryName(service),
    ecsCluster: stem,
    ecsService: stem,
    eksCluster: stem,
    loadBalancer: `${stem}-alb`,
    targetGroup: `${stem}-tg`,
    appLogGroup: `/slipway/${service}/${stage}/app`,
    dynamoTable: stem,
    dataBucketPrefix: `${stem}-data`,
    auroraCluster: `${stem}-db`,
    // OpenSearch allows 28 characters: the stem alone names the stage's one domain.
    openSearchDomain: stem,
    logShipperFunction: `${stem}-log-shipper`,
    // "All dashboards in your account are global, not region-specific":
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cloudwatch-dashboard.html
    dashboard: region === undefined ? stem : `${stem}-${region}`,
    alarmTopic: `${stem}-alarms`,
    alarmPrefix: stem,
    pipeline: `${stem}-deploy`,
    pipelineSourceKeyPrefix: `releases/${service}/${stage}/`,
    infraDeployProject: `${stem}-infra-deploy`,
    stacks: {
      network: `${stem}-network`,
      hosts: `${stem}-hosts`,
      access: `${stem}-access`,
      platform: `${stem}-platform`,
      data: `${stem}-data`,
      logs: `${stem}-logs`,
      observability: `${stem}-observability`,
      delivery: `${stem}-delivery`,
    },
  };
}

/** The service's one image repository, shared by its stages. */
export function imageRepositoryName(service: string): string {
  return service;
}

/** The transfer bucket's full name; `account` may be a deploy-time token or a Jinja expression's literal parts. */
export function hostTransferBucketName(names: Pick<ResourceNames, 'hostTransferBucketPrefix'>, account: string, region: string): string {
  return `${names.hostTransferBucketPrefix}-${account}-${region}`;
}

/** The longest region name aws-cdk-lib knows: the bucket name's length bound is checked with it. */
const LONGEST_REGION = [...KNOWN_REGIONS].sort((a, b) => b.length - a.length)[0];

/** The names AWS bounds in length, with the limit of each. */
export function lengthBoundNames(names: ResourceNames): readonly Limited[] {
  return [
    { what: 'the OpenSearch domain name', name: names.openSearchDomain, max: 28 },
    { what: 'the load balancer name', name: names.loadBalancer, max: 32 },
    { what: 'the target group name', name: names.targetGroup, max: 32 },
    { what: 'the Aurora cluster identifier', name: names.auroraCluster, max: 63 },
    { what: 'the host transfer bucket name', name: hostTransferBucketName(names, '123456789012', LONGEST_REGION), max: 63 },
    { what: 'the data bucket name', name: `${names.dataBucketPrefix}-123456789012-${LONGEST_REGION}`, max: 63 },
    { what: 'the IAM deploy role name', name: names.deployRole, max: 64 },
    { what: 'the Lambda function name', name: names.logShipperFunction, max: 64 },
    { what: 'the CodePipeline name', name: names.pipeline, max: 100 },
    { what: 'the EKS cluster name', name: names.eksCluster, max: 100 },
  ];
}

/** The longest service name every derived name accepts alongside a stage name of `stageLength` characters. */
export function maxServiceNameLength(stageLength: number): number {
  const probe = 'x';
  const stage = 's'.repeat(Math.max(1, stageLength));
  return Math.min(...lengthBoundNames(deriveNames(probe, stage)).map((l) => l.max - (l.name.length - probe.length)));
}

/** The names of a service and stage that are too long for AWS, each with its length and limit. */
export function tooLongNames(service: string, stage: string): readonly Limited[] {
  return lengthBoundNames(deriveNames(service, stage)).filter((l) => l.name.length > l.max);
}

/** AZ letters for subnet names: public-subnet-a, public-subnet-b, … */
export function azLetter(index: number): string {
  return String.fromCharCode('a'.charCodeAt(0) + index);
}

export function subnetName(tier: 'public' | 'private', index: number): string {
  return `${tier}-subnet-${azLetter(index)}`;
}
