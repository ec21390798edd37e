/**
 * The log shipper Lambda in the private subnets: subscribed to the service's
 * log groups, it writes to OpenSearch over HTTPS. Invocations that still fail
 * after Lambda's own retries land in an encrypted dead-letter queue.
 */
import { Duration, RemovalPolicy, aws_ec2 as ec2, aws_iam as iam, aws_lambda as lambda, aws_logs as logs, aws_sqs as sqs } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { ServiceSpec } from '../../spec';
import { acknowledge } from '../acknowledge';
import { acknowledgeLogGroupOpinions, guardRule } from '../policy-validation';
import type { ServiceNetwork } from '../service-network';
import { LOG_SHIPPER_HANDLER, LOG_SHIPPER_SETUP_HANDLER, logShipperBundleDir } from './shipper-bundle';

/** Request bodies stay at half the smallest instance types' 10 MiB http.max_content_length. */
export const MAX_BULK_REQUEST_BYTES = 5 * 1024 * 1024;

export interface LogShipperFunctionProps {
  readonly spec: ServiceSpec;
  readonly network: ServiceNetwork;
}

export class LogShipperFunction extends Construct {
  readonly role: iam.Role;
  readonly securityGroup: ec2.SecurityGroup;
  readonly deadLetterQueue: sqs.Queue;
  private fn?: lambda.Function;

  constructor(scope: Construct, id: string, private readonly props: LogShipperFunctionProps) {
    super(scope, id);
    const { spec, network } = props;

    // Created first and on its own: it is the OpenSearch master user, which the function needs the domain for.
    this.role = new iam.Role(this, 'Role', {
      description: `${spec.names.logShipperFunction}: ships CloudWatch Logs to ${spec.names.openSearchDomain}`,
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaVPCAccessExecutionRole')],
    });
    acknowledge(this.role, {
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]',
      reason: 'The AWS-managed VPC execution policy is the documented minimum for a Lambda in a VPC (ENI management and its own logs); it grants no data access.',
    });
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: network.vpc,
      description: `${spec.names.logShipperFunction}: HTTPS to OpenSearch only`,
      allowAllOutbound: false,
    });
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
    const dlqReason = 'This queue is itself the dead-letter queue of the log shipper; a dead-letter queue of a dead-letter queue would only move the same messages.';
    acknowledge(this.deadLetterQueue, { id: 'AwsSolutions-SQS3', reason: dlqReason }, { id: guardRule('sqs_dlq_check'), reason: dlqReason });
  }

  /**
   * The domain setup function (same bundle and role as the shipper, handler `index.setup`): the custom resource
   * that applies the ISM policy, index template and reader mappings at deploy.
   */
  setupFunction(endpoint: string): { fn: lambda.Function; securityGroup: ec2.SecurityGroup } {
    const { spec, network } = this.props;
    // Its own group: besides the domain it must reach CloudFormation's pre-signed S3 response URL (through the S3
    // gateway endpoint, or NAT), or the stack waits an hour for an answer that never comes.
    const securityGroup = new ec2.SecurityGroup(this, 'SetupSecurityGroup', {
      vpc: network.vpc,
      description: `${spec.names.logShipperFunction} domain setup: HTTPS to OpenSearch and to the CloudFormation S3 response URL`,
      allowAllOutbound: false,
    });
    securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to the domain and the S3 response URL (no internet route without NAT)');
    const logGroup = new logs.LogGroup(this, 'SetupLogs', {
      retention: spec.logs.retentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
    acknowledgeLogGroupOpinions(logGroup, spec.logs.retentionDays, 'logs.retentionDays');
    const fn = new lambda.Function(this, 'SetupFunction', {
      description: `Applies ${spec.serviceName}'s log retention (ISM), index template and reader mappings to ${spec.names.openSearchDomain}`,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      handler: LOG_SHIPPER_SETUP_HANDLER,
      code: lambda.Code.fromAsset(logShipperBundleDir()),
      role: this.role,
      memorySize: 256,
      timeout: Duration.minutes(5),
      vpc: network.vpc,
      vpcSubnets: network.privateSubnets,
      securityGroups: [securityGroup],
      logGroup,
      environment: { OPENSEARCH_URL: `https://${endpoint}` },
    });
    acknowledge(fn, {
      id: guardRule('lambda_inside_vpc_check'),
      reason: 'The function is in the private subnets with its own security group; the rule cannot resolve subnet ids imported from the network stack (Fn::ImportValue).',
    });
    return { fn, securityGroup };
  }

  /** Creates the function once the domain exists (the endpoint is its configuration). */
  function(endpoint: string): lambda.Function {
    if (this.fn) return this.fn;
    const { spec, network } = this.props;
    // Named by CloudFormation (the function's LoggingConfig points at it), so a failed first create leaves nothing behind.
    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: spec.logs.retentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
    acknowledgeLogGroupOpinions(logGroup, spec.logs.retentionDays, 'logs.retentionDays');
    this.fn = new lambda.Function(this, 'Function', {
      functionName: spec.names.logShipperFunction,
      description: `Ships ${spec.serviceName} CloudWatch Logs to OpenSearch ${spec.names.openSearchDomain}`,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      handler: LOG_SHIPPER_HANDLER,
      code: lambda.Code.fromAsset(logShipperBundleDir()),
      role: this.role,
      memorySize: 256,
      timeout: Duration.minutes(2),
      vpc: network.vpc,
      vpcSubnets: network.privateSubnets,
      securityGroups: [this.securityGroup],
      logGroup,
      deadLetterQueue: this.deadLetterQueue,
      retryAttempts: 2,
      environment: {
        OPENSEARCH_URL: `https://${endpoint}`,
        INDEX_PREFIX: spec.serviceName,
        MAX_REQUEST_BYTES: String(MAX_BULK_REQUEST_BYTES),
      },
    });
    acknowledge(this.fn, {
      id: guardRule('lambda_inside_vpc_check'),
      reason: 'The function is in the private subnets with its own security group; the rule cannot resolve subnet ids imported from the network stack (Fn::ImportValue).',
    });
    return this.fn;
  }
}
