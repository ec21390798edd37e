/**
 * The OpenSearch domain (the ELK role): in the private subnets, zone aware
 * across the spec's AZs, encrypted at rest and between nodes, HTTPS only,
 * with fine-grained access control, its logs (audit logs included) in
 * CloudWatch, and AWS's recommended alarms. Sized from the spec: dedicated
 * masters and more data nodes when protected, small when not.
 */
import { Arn, Duration, RemovalPolicy, Stack, aws_cloudwatch as cloudwatch, aws_cloudwatch_actions as actions, aws_ec2 as ec2, aws_iam as iam, aws_logs as logs, aws_opensearchservice as opensearch, aws_sns as sns } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { ServiceSpec } from '../../spec';
import { acknowledge } from '../acknowledge';
import { acknowledgeLogGroupOpinions, guardRule } from '../policy-validation';
import type { ServiceNetwork } from '../service-network';
import { domainAlarmDefinitions, domainAlarmName } from './domain-alarms';

/** The service-linked role a VPC domain needs before it is created (one per account). */
export const OPENSEARCH_SERVICE_LINKED_ROLE_SERVICE = 'opensearchservice.amazonaws.com';

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
  /** Whether this domain's stack creates the account's OpenSearch service-linked role. @default spec.logs.createServiceLinkedRole */
  readonly createServiceLinkedRole?: boolean;
}

export class SearchDomain extends Construct {
  readonly domain: opensearch.Domain;
  readonly securityGroup: ec2.SecurityGroup;
  readonly alarms: cloudwatch.Alarm[];

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

    // CloudFormation names these (nothing outside looks them up by name), and a failed first create deletes them
    // (RetainExceptOnCreate), so a retry never meets a leftover group it cannot create again.
    const logGroup = (kind: string) => {
      const group = new logs.LogGroup(this, `${kind}Logs`, {
        retention: logSpec.retentionDays as logs.RetentionDays,
        removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
      });
      acknowledgeLogGroupOpinions(group, logSpec.retentionDays, 'logs.retentionDays');
      return group;
    };
    const appLogs = logGroup('Application');
    const slowSearch = logGroup('SlowSearch');
    const slowIndex = logGroup('SlowIndex');
    const auditLogs = logGroup('Audit');
    // Written here rather than by the domain's custom resource, so no extra Lambda is deployed.
    const resourcePolicy = new logs.ResourcePolicy(this, 'LogsResourcePolicy', {
      resourcePolicyName: `${names.openSearchDomain}-logs`,
      policyStatements: [
        new iam.PolicyStatement({
          principals: [new iam.ServicePrincipal('es.amazonaws.com')],
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [appLogs, slowSearch, slowIndex, auditLogs].map((g) => `${g.logGroupArn}`),
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
        ...(logSpec.openSearchMasterNodes > 0
          ? { masterNodes: logSpec.openSearchMasterNodes, masterNodeInstanceType: logSpec.openSearchMasterInstanceType }
          : {}),
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
        auditLogEnabled: true,
        auditLogGroup: auditLogs,
      },
      suppressLogsResourcePolicy: true,
      // A failed first create deletes the (fixed-name) domain instead of leaving it to block the retry.
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
    // OpenSearch validates log publishing on create: the resource policy must exist first.
    this.domain.node.addDependency(resourcePolicy);
    if (props.createServiceLinkedRole ?? logSpec.createServiceLinkedRole) {
      // https://docs.aws.amazon.com/opensearch-service/latest/developerguide/slr.html: a VPC domain cannot be created without it.
      const role = new iam.CfnServiceLinkedRole(this, 'ServiceLinkedRole', {
        awsServiceName: OPENSEARCH_SERVICE_LINKED_ROLE_SERVICE,
        description: 'Lets OpenSearch Service manage the network interfaces of VPC domains (created by Slipway; one per account)',
      });
      this.domain.node.addDependency(role);
    }
    acknowledge(this.domain, {
      id: 'AwsSolutions-OS3',
      reason: 'The domain is VPC-only, where OpenSearch does not support IP-based access policies; access is limited by its security group (the shipper only) and an IAM resource policy.',
    });
    if (logSpec.openSearchMasterNodes === 0) {
      acknowledge(this.domain, {
        id: 'AwsSolutions-OS4',
        reason: `An unprotected environment's ${logSpec.openSearchDataNodes}-node log domain runs without dedicated masters; it holds re-shippable copies, and the CloudWatch log groups stay the source of truth.`,
      });
    }
    if (logSpec.openSearchDataNodes < 3) {
      acknowledge(this.domain, {
        id: guardRule('opensearch_data_node_fault_tolerance_check'),
        reason: spec.protectedEnvironment
          ? `Three dedicated master nodes keep the quorum when a node is lost; the ${logSpec.openSearchDataNodes} data nodes are zone aware across AZs and hold replicas.`
          : `An unprotected environment uses the small sizing (${logSpec.openSearchDataNodes} zone-aware data nodes); the spec makes every protected environment fault tolerant.`,
      });
    }
    this.alarms = this.addAlarms(spec);
  }

  /** AWS's recommended alarms, sent to the service's alarm topic (by its ARN, so no cross-stack reference). */
  private addAlarms(spec: ServiceSpec): cloudwatch.Alarm[] {
    const stack = Stack.of(this);
    const topic = sns.Topic.fromTopicArn(this, 'AlarmTopic', Arn.format({ service: 'sns', resource: spec.names.alarmTopic, region: spec.region }, stack));
    return domainAlarmDefinitions(spec.logs).map((d) => {
      const alarm = new cloudwatch.Alarm(this, d.id, {
        alarmName: domainAlarmName(spec.names.openSearchDomain, d),
        alarmDescription: `${spec.names.openSearchDomain}: ${d.description}`,
        metric: new cloudwatch.Metric({
          namespace: 'AWS/ES',
          metricName: d.metric,
          dimensionsMap: { DomainName: this.domain.domainName, ClientId: stack.account },
          statistic: d.statistic,
          period: Duration.minutes(d.periodMinutes),
        }),
        threshold: d.threshold,
        evaluationPeriods: d.evaluationPeriods,
        comparisonOperator: cloudwatch.ComparisonOperator[d.comparison === 'GreaterThanOrEqualToThreshold' ? 'GREATER_THAN_OR_EQUAL_TO_THRESHOLD' : 'LESS_THAN_OR_EQUAL_TO_THRESHOLD'],
        treatMissingData: cloudwatch.TreatMissingData.MISSING,
      });
      alarm.addAlarmAction(new actions.SnsAction(topic));
      return alarm;
    });
  }
}
