/**
 * The data lifecycle: the service's S3 bucket and, per `spec.database`, a
 * DynamoDB table, an Aurora PostgreSQL Serverless v2 cluster, or nothing.
 * Everything here is retained when the stack is deleted.
 */
import { Aws, Duration, Stack, StackProps, aws_dynamodb as dynamodb, aws_ec2 as ec2, aws_ecs as ecs, aws_iam as iam, aws_logs as logs, aws_rds as rds, aws_s3 as s3, aws_secretsmanager as secretsmanager } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { ServiceSpec } from '../../spec';
import { acknowledge } from '../acknowledge';
import { useServiceFeatureFlags } from '../feature-flags';
import { stableOutput } from '../outputs';
import type { ServiceData } from '../platform/platform-stack';
import { acknowledgeLogGroupOpinions } from '../policy-validation';
import { RETAINED } from '../retained';
import { accessLogBucket, secureBucket } from '../secure-bucket';
import type { ServiceNetwork } from '../service-network';

export interface DataStackProps extends StackProps {
  readonly spec: ServiceSpec;
  readonly network: ServiceNetwork;
}

/** Aurora's engine, pinned so a CDK upgrade never changes the major version under the data. */
export const AURORA_ENGINE_VERSION = rds.AuroraPostgresEngineVersion.VER_16_6;
/** Days of automated backups (Aurora's point-in-time restore window). */
export const BACKUP_RETENTION_DAYS = 14;
const POSTGRES_PORT = 5432;
const DATABASE_NAME = 'app';
/** The cluster's master user, kept in its generated secret. */
const ADMIN_USER = 'slipway_admin';
/** Enhanced monitoring granularity in seconds (1, 5, 10, 15, 30 or 60). */
const ENHANCED_MONITORING_SECONDS = 60;
/** Days server access logs are kept. */
const ACCESS_LOG_DAYS = 90;

/**
 * S3 names are global: each stage's data bucket is `<service>-<stage>-data-<account>-<region>`,
 * the service name from the spec, made unique by account and region.
 */
export function dataBucketName(spec: ServiceSpec): string {
  return `${spec.names.dataBucketPrefix}-${Aws.ACCOUNT_ID}-${spec.region}`;
}

export function dataBucketArn(spec: ServiceSpec): string {
  return `arn:${Aws.PARTITION}:s3:::${dataBucketName(spec)}`;
}

export interface AuroraDatabase {
  readonly cluster: rds.DatabaseCluster;
  /** Add ingress from the service's security group (in its own stack) to this group. */
  readonly securityGroup: ec2.SecurityGroup;
}

export class DataStack extends Stack implements ServiceData {
  readonly bucket: s3.Bucket;
  /** Built from the name, so grants in other stacks carry no cross-stack token. */
  readonly bucketArn: string;
  readonly table?: dynamodb.Table;
  readonly aurora?: AuroraDatabase;
  readonly appEnvironment: Readonly<Record<string, string>>;
  readonly database?: ServiceData['database'];

  private readonly spec: ServiceSpec;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    this.spec = props.spec;
    useServiceFeatureFlags(this);
    const { spec } = props;

    const accessLogs = accessLogBucket(this, 'AccessLogs', ACCESS_LOG_DAYS);
    this.bucket = secureBucket(this, 'Bucket', { bucketName: dataBucketName(spec), accessLogs: { bucket: accessLogs, prefix: 'data-bucket/' } });
    this.bucketArn = dataBucketArn(spec);
    stableOutput(this, 'BucketName', this.bucket.bucketName, `${spec.serviceName} data bucket`);

    const environment: Record<string, string> = { DATA_BUCKET: dataBucketName(spec) };
    if (spec.database === 'dynamodb') {
      this.table = this.dynamoTable(spec);
      environment.TABLE_NAME = this.table.tableName;
    } else if (spec.database === 'aurora-postgresql') {
      this.aurora = this.auroraCluster(spec, props.network);
      const { cluster, securityGroup } = this.aurora;
      environment.DB_HOST = cluster.clusterEndpoint.hostname;
      environment.DB_PORT = String(POSTGRES_PORT);
      environment.DB_NAME = DATABASE_NAME;
      if (!cluster.secret) throw new Error(`the Aurora cluster ${spec.names.auroraCluster} has no generated secret; it is created with one`);
      this.database = { secret: ecs.Secret.fromSecretsManager(cluster.secret), securityGroup, port: POSTGRES_PORT };
    }
    this.appEnvironment = environment;
  }

  /** Grants the service exactly the data it owns: the bucket and the database. */
  grantService(role: iam.IRole): void {
    role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'ListDataBucket', actions: ['s3:ListBucket'], resources: [this.bucketArn] }));
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: 'ReadWriteDataObjects', actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], resources: [`${this.bucketArn}/*`] }),
    );
    acknowledge(role, {
      // How cdk-nag prints dataBucketArn(spec)/*.
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::${this.spec.names.dataBucketPrefix}-<AWS::AccountId>-${this.spec.region}/*]`,
      reason: 'The service reads and writes objects of any name in its own data bucket; the wildcard is object keys inside that one bucket.',
    });
    this.table?.grantReadWriteData(role);
    if (this.aurora) {
      this.aurora.cluster.secret?.grantRead(role);
      this.aurora.cluster.grantConnect(role, DATABASE_NAME);
    }
  }

  private dynamoTable(spec: ServiceSpec): dynamodb.Table {
    const table = new dynamodb.Table(this, 'Table', {
      tableName: spec.names.dynamoTable,
      // A generic single-table layout: the service chooses what pk/sk mean.
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      deletionProtection: true,
      removalPolicy: RETAINED,
    });
    stableOutput(this, 'TableName', table.tableName, `${spec.names.dynamoTable} DynamoDB table`);
    return table;
  }

  private auroraCluster(spec: ServiceSpec, network: ServiceNetwork): AuroraDatabase {
    const securityGroup = new ec2.SecurityGroup(this, 'DatabaseSecurityGroup', {
      vpc: network.vpc,
      description: `${spec.names.auroraCluster}: PostgreSQL from the ${spec.serviceName} service only`,
      allowAllOutbound: false,
    });
    const cluster = new rds.DatabaseCluster(this, 'Database', {
      clusterIdentifier: spec.names.auroraCluster,
      engine: rds.DatabaseClusterEngine.auroraPostgres({ version: AURORA_ENGINE_VERSION }),
      // Not 'postgres' or 'admin': the first names tried against an exposed database (Control Tower CT.RDS.PR.25).
      credentials: rds.Credentials.fromGeneratedSecret(ADMIN_USER),
      defaultDatabaseName: DATABASE_NAME,
      port: POSTGRES_PORT,
      vpc: network.vpc,
      vpcSubnets: network.privateSubnets,
      securityGroups: [securityGroup],
      serverlessV2MinCapacity: 0.5,
      serverlessV2MaxCapacity: 4,
      writer: rds.ClusterInstance.serverlessV2('Writer'),
      // A reader in the second AZ takes over if the writer's AZ fails.
      readers: [rds.ClusterInstance.serverlessV2('Reader', { scaleWithWriter: true })],
      storageEncrypted: true,
      iamAuthentication: true,
      // Enhanced monitoring (OS metrics per instance; Control Tower CT.RDS.PR.12): CDK creates its monitoring role.
      monitoringInterval: Duration.seconds(ENHANCED_MONITORING_SECONDS),
      backup: { retention: Duration.days(BACKUP_RETENTION_DAYS) },
      deletionProtection: true,
      removalPolicy: RETAINED,
      cloudwatchLogsExports: ['postgresql'],
    });
    // The generated master secret is deleted with the stack by default; a retained cluster without it has no way in.
    // (cluster.secret is the attachment to the cluster; the secret itself is the cluster's CfnSecret child.)
    for (const child of cluster.node.findAll()) {
      if (child instanceof secretsmanager.CfnSecret) child.applyRemovalPolicy(RETAINED);
    }
    // Created here (not through cloudwatchLogsRetention) so no log-retention Lambda is deployed. The name is
    // fixed because RDS writes exactly there: /aws/rds/cluster/<cluster identifier>/<log type>.
    const databaseLogs = new logs.LogGroup(this, 'DatabaseLogs', {
      logGroupName: `/aws/rds/cluster/${spec.names.auroraCluster}/postgresql`,
      retention: spec.logs.retentionDays as logs.RetentionDays,
      removalPolicy: RETAINED,
    });
    acknowledgeLogGroupOpinions(databaseLogs, spec.logs.retentionDays, 'logs.retentionDays');
    acknowledge(cluster.node.findChild('MonitoringRole'), {
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole]',
      reason: 'RDS assumes this role only to publish enhanced-monitoring OS metrics to CloudWatch Logs; the AWS-managed policy is exactly that and tracks the service.',
    });
    acknowledge(cluster, {
      id: 'AwsSolutions-RDS11',
      reason: 'PostgreSQL keeps its standard port 5432: the security group admits only the service, and a non-standard port adds no real protection.',
    });
    if (cluster.secret) {
      acknowledge(cluster, {
        id: 'AwsSolutions-SMG4',
        reason: 'The service connects with IAM database authentication; the generated master secret is a break-glass credential rotated by the operators, not by a rotation Lambda that would need Secrets Manager reachable from the private subnets.',
      });
    }
    if (spec.network.egress === 'none') this.secretsEndpoint(spec, network);
    stableOutput(this, 'DatabaseEndpoint', cluster.clusterEndpoint.hostname, `${spec.names.auroraCluster} writer endpoint`);
    stableOutput(this, 'DatabaseSecretArn', cluster.secret?.secretArn ?? '', `${spec.names.auroraCluster} master credentials`);
    return { cluster, securityGroup };
  }

  /**
   * Without egress, ECS can inject the database secret only through a Secrets Manager
   * endpoint in the VPC; the network stack's endpoints cover images and logs, not this.
   */
  private secretsEndpoint(spec: ServiceSpec, network: ServiceNetwork): void {
    const securityGroup = new ec2.SecurityGroup(this, 'SecretsEndpointSecurityGroup', {
      vpc: network.vpc,
      description: `HTTPS from ${spec.network.cidr} to the Secrets Manager endpoint of ${spec.serviceName}`,
      allowAllOutbound: false,
    });
    securityGroup.addIngressRule(ec2.Peer.ipv4(spec.network.cidr), ec2.Port.tcp(443), 'HTTPS from inside the VPC');
    new ec2.InterfaceVpcEndpoint(this, 'SecretsEndpoint', {
      vpc: network.vpc,
      service: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
      subnets: network.privateSubnets,
      securityGroups: [securityGroup],
      privateDnsEnabled: true,
    });
  }
}
