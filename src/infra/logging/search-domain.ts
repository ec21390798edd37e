/**
 * The OpenSearch domain (the ELK role): in the private subnets, zone aware
 * across the spec's AZs, encrypted at rest and between nodes, HTTPS only,
 * with fine-grained access control and its logs in CloudWatch.
 */
import { RemovalPolicy, aws_ec2 as ec2, aws_iam as iam, aws_logs as logs, aws_opensearchservice as opensearch } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { ServiceSpec } from '../../spec';
import { acknowledge } from '../acknowledge';
import type { ServiceNetwork } from '../service-network';

export const OPENSEARCH_VERSION = opensearch.EngineVersion.OPENSEARCH_2_19;

/**
 * OpenSearch spreads data nodes over two or three AZs. Pure: picks the most
 * AZs the spec has (up to three) that the node count divides evenly.
 */
export function zoneCountFor(azCount: number, dataNodes: number): 2 | 3 {
  if (azCount >= 3 && dataNodes % 3 === 0) return 3;
  if (azCount >= 2 && dataNodes % 2 === 0) return 2;
  throw new Error(
    `OpenSearch zone awareness needs the ${dataNodes} data nodes spread evenly over 2 or 3 of the ${azCount} AZs; ` +
      `set service.logs.openSearchDataNodes to a multiple of ${azCount >= 3 ? '2 or 3' : '2'}`,
  );
}

export interface SearchDomainProps {
  readonly spec: ServiceSpec;
  readonly network: ServiceNetwork;
  /** The IAM principal that is the domain's master user (fine-grained access control). */
  readonly masterUser: iam.IRole;
}

export class SearchDomain extends Construct {
  readonly domain: opensearch.Domain;
  readonly securityGroup: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: SearchDomainProps) {
    super(scope, id);
    const { spec, network } = props;
    const { logs: logSpec, names } = spec;
    const zones = zoneCountFor(spec.network.availabilityZones.length, logSpec.openSearchDataNodes);
    const subnets = network.vpc.selectSubnets(network.privateSubnets).subnets.slice(0, zones);

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: network.vpc,
      description: `${names.openSearchDomain}: HTTPS from the log shipper only`,
      allowAllOutbound: false,
    });

    const logGroup = (kind: string) =>
      new logs.LogGroup(this, `${kind}Logs`, {
        logGroupName: `/slipway/${spec.serviceName}/opensearch/${kind.toLowerCase()}`,
        retention: logSpec.retentionDays as logs.RetentionDays,
        removalPolicy: RemovalPolicy.RETAIN,
      });
    const appLogs = logGroup('Application');
    const slowSearch = logGroup('SlowSearch');
    const slowIndex = logGroup('SlowIndex');
    // Written here rather than by the domain's custom resource, so no extra Lambda is deployed.
    new logs.ResourcePolicy(this, 'LogsResourcePolicy', {
      resourcePolicyName: `${names.openSearchDomain}-logs`,
      policyStatements: [
        new iam.PolicyStatement({
          principals: [new iam.ServicePrincipal('es.amazonaws.com')],
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [appLogs, slowSearch, slowIndex].map((g) => `${g.logGroupArn}`),
        }),
      ],
    });

    this.domain = new opensearch.Domain(this, 'Domain', {
      domainName: names.openSearchDomain,
      version: OPENSEARCH_VERSION,
      vpc: network.vpc,
      vpcSubnets: [{ subnets }],
      securityGroups: [this.securityGroup],
      capacity: {
        dataNodes: logSpec.openSearchDataNodes,
        dataNodeInstanceType: logSpec.openSearchInstanceType,
        multiAzWithStandbyEnabled: false,
      },
      zoneAwareness: { enabled: true, availabilityZoneCount: zones },
      ebs: { volumeSize: logSpec.openSearchVolumeGiB, volumeType: ec2.EbsDeviceVolumeType.GP3 },
      encryptionAtRest: { enabled: true },
      nodeToNodeEncryption: true,
      enforceHttps: true,
      tlsSecurityPolicy: opensearch.TLSSecurityPolicy.TLS_1_2,
      fineGrainedAccessControl: { masterUserArn: props.masterUser.roleArn },
      logging: {
        appLogEnabled: true,
        appLogGroup: appLogs,
        slowSearchLogEnabled: true,
        slowSearchLogGroup: slowSearch,
        slowIndexLogEnabled: true,
        slowIndexLogGroup: slowIndex,
      },
      suppressLogsResourcePolicy: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(this.domain, {
      id: 'AwsSolutions-OS3',
      reason: 'The domain is VPC-only, where OpenSearch does not support IP-based access policies; access is limited by its security group (the shipper only) and an IAM resource policy.',
    }, {
      id: 'AwsSolutions-OS4',
      reason: `A ${logSpec.openSearchDataNodes}-node log domain for one service runs without dedicated master nodes; it holds re-shippable log copies, and the CloudWatch log groups stay the source of truth.`,
    });
  }
}
