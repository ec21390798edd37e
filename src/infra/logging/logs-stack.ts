/**
 * The logs lifecycle (the ELK role): the OpenSearch domain and the Lambda
 * that ships the service's CloudWatch log groups into it.
 */
import { Aws, CustomResource, Duration, Stack, StackProps, aws_ec2 as ec2, aws_iam as iam, aws_lambda as lambda, aws_logs as logs, aws_logs_destinations as destinations, aws_opensearchservice as opensearch, aws_sqs as sqs } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { ServiceSpec } from '../../spec';
import { acknowledge } from '../acknowledge';
import { pascalCase, stableOutput } from '../outputs';
import { guardRule } from '../policy-validation';
import type { ServiceNetwork } from '../service-network';
import { LogShipperFunction } from './log-shipper-function';
import { SearchDomain } from './search-domain';
import { useServiceFeatureFlags } from '../feature-flags';

export interface LogsStackProps extends StackProps {
  readonly spec: ServiceSpec;
  readonly network: ServiceNetwork;
  /** The log groups shipped to OpenSearch (the service's application logs at least). */
  readonly logGroups: readonly logs.ILogGroup[];
  /**
   * Whether this stack creates the account's OpenSearch service-linked role (one per account: the first stage that
   * asks for it, serviceLinkedRoleCreators). @default spec.logs.createServiceLinkedRole
   */
  readonly createServiceLinkedRole?: boolean;
}

export class LogsStack extends Stack {
  readonly domain: opensearch.Domain;
  readonly shipper: lambda.Function;
  readonly shipperDeadLetterQueue: sqs.IQueue;
  /** Operators assume it to read the logs (API and Dashboards). */
  readonly readersRole: iam.Role;

  constructor(scope: Construct, id: string, props: LogsStackProps) {
    super(scope, id, props);
    useServiceFeatureFlags(this);
    const { spec, network } = props;
    if (props.logGroups.length === 0) {
      throw new Error(`the logs stack of ${spec.serviceName} was given no log groups to ship; pass at least the application log group`);
    }

    const shipper = new LogShipperFunction(this, 'LogShipper', { spec, network });
    const search = new SearchDomain(this, 'Search', { spec, network, masterUser: shipper.role, createServiceLinkedRole: props.createServiceLinkedRole });
    this.domain = search.domain;
    search.securityGroup.addIngressRule(shipper.securityGroup, ec2.Port.tcp(443), 'HTTPS from the log shipper');
    shipper.securityGroup.addEgressRule(search.securityGroup, ec2.Port.tcp(443), 'HTTPS to OpenSearch');
    // Operators read the logs through this role: FGAC maps it to read-only roles (the setup resource below).
    this.readersRole = new iam.Role(this, 'LogReaders', {
      description: `Reads ${spec.names.openSearchDomain} (OpenSearch readall + Dashboards); CloudFormation names it, so regions and services never collide`,
      assumedBy: spec.logs.readerPrincipalArns.length > 0
        ? new iam.CompositePrincipal(...spec.logs.readerPrincipalArns.map((arn) => new iam.ArnPrincipal(arn)))
        : new iam.AccountRootPrincipal(),
      maxSessionDuration: Duration.hours(4),
    });
    // Operators reach the domain from a host through SSM port forwarding; the hosts live in the private subnets.
    for (const subnet of spec.network.subnets.filter((sn) => sn.tier === 'private')) {
      search.securityGroup.addIngressRule(ec2.Peer.ipv4(subnet.cidr), ec2.Port.tcp(443), `HTTPS from ${subnet.name} (operators via SSM port forwarding on a host)`);
    }
    // Set on the CfnDomain directly: the L2 `accessPolicies` deploys a custom-resource Lambda to do the same.
    // Built from the spec's name, not the domain's own ARN attribute, which the domain cannot reference.
    const domainPaths = `arn:${Aws.PARTITION}:es:${spec.region}:${Aws.ACCOUNT_ID}:domain/${spec.names.openSearchDomain}/*`;
    const domainResource = this.domain.node.defaultChild as opensearch.CfnDomain;
    domainResource.accessPolicies = new iam.PolicyDocument({
      statements: [
        new iam.PolicyStatement({
          principals: [new iam.ArnPrincipal(shipper.role.roleArn)],
          actions: ['es:ESHttpPost', 'es:ESHttpPut', 'es:ESHttpGet'],
          resources: [domainPaths],
        }),
        // Searches are POSTs; what a reader may see is decided by FGAC (readall), not by the HTTP verb.
        new iam.PolicyStatement({
          principals: [new iam.ArnPrincipal(this.readersRole.roleArn)],
          actions: ['es:ESHttpGet', 'es:ESHttpHead', 'es:ESHttpPost'],
          resources: [domainPaths],
        }),
      ],
    }).toJSON();
    this.shipper = shipper.function(this.domain.domainEndpoint);
    const setup = shipper.setupFunction(this.domain.domainEndpoint);
    search.securityGroup.addIngressRule(setup.securityGroup, ec2.Port.tcp(443), 'HTTPS from the domain setup function');
    // Applied on every deploy whose inputs change; idempotent against the domain (see log-shipper/domain-setup.ts).
    const domainSetup = new CustomResource(this, 'DomainSetup', {
      serviceToken: setup.fn.functionArn,
      resourceType: 'Custom::OpenSearchDomainSetup',
      properties: { IndexPrefix: spec.serviceName, RetentionDays: String(spec.logs.retentionDays), ReaderRoleArns: [this.readersRole.roleArn] },
    });
    domainSetup.node.addDependency(this.domain);
    this.shipperDeadLetterQueue = shipper.deadLetterQueue;

    for (const group of props.logGroups) {
      const filterId = `Ship${pascalCase(group.node.id)}`;
      new logs.SubscriptionFilter(this, filterId, {
        logGroup: group,
        destination: new destinations.LambdaDestination(this.shipper),
        filterPattern: logs.FilterPattern.allEvents(),
        filterName: spec.names.logShipperFunction,
      });
      // Only this account's CloudWatch Logs may invoke the shipper (confused-deputy guard beside the source ARN).
      // LambdaDestination adds this CfnPermission beside the filter.
      const permission = this.node.findChild(filterId).node.findChild('CanInvokeLambda') as lambda.CfnPermission;
      permission.sourceAccount = Aws.ACCOUNT_ID;
      acknowledge(permission, {
        id: guardRule('lambda_function_public_access_prohibited_check'),
        reason: 'The permission names CloudWatch Logs with both SourceArn (the subscribed log group) and SourceAccount; the rule accepts only literals or same-stack references, and these are an import and the AWS::AccountId pseudo parameter.',
      });
    }

    stableOutput(this, 'OpenSearchDomainName', this.domain.domainName, `${spec.names.openSearchDomain} OpenSearch domain`);
    stableOutput(this, 'OpenSearchEndpoint', this.domain.domainEndpoint, `${spec.names.openSearchDomain} HTTPS endpoint (inside the VPC)`);
    stableOutput(this, 'LogShipperFunctionName', this.shipper.functionName, `${spec.names.logShipperFunction} Lambda`);
    stableOutput(this, 'LogReadersRoleArn', this.readersRole.roleArn, `assume it to read ${spec.names.openSearchDomain} (readall, Dashboards)`);
    stableOutput(this, 'LogShipperDeadLetterQueueName', this.shipperDeadLetterQueue.queueName, 'Log batches the shipper could not store');
  }
}
