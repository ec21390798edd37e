/**
 * The role the pipeline's configure-hosts job assumes to run `npx projen configure-hosts` over SSM after
 * each deploy. Trusted exactly like the deploy role (the GitHub Environment, from the pipeline workflow on a
 * deploy branch), and allowed only what the driver and the amazon.aws.aws_ssm connection do:
 * - find the hosts: ec2:DescribeInstances (no resource-level permissions), and the hosts stack's outputs
 *   for `--discover stack`; wait for a new host's agent (ssm:DescribeInstanceInformation);
 * - open sessions on this service's instances only (the hosts stack's `slipway:*` tags) with the default
 *   shell document, and end or resume only its own sessions;
 * - move files through the hosts stack's transfer bucket (the connection presigns its gets and puts there).
 */
import { Aws, Duration, aws_iam as iam } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { CONFIGURE_HOSTS_SESSION_SECONDS, TAG_ENVIRONMENT, TAG_SERVICE, type ServiceSpec } from '../../spec';
import { acknowledge } from '../acknowledge';
import { deployTrustConditions } from './github-trust';
import { hostTransferBucketName } from '../hosts/transfer-bucket';

/** The session document StartSession uses when the connection names none (ansible_aws_ssm_document unset). */
export const DEFAULT_SESSION_DOCUMENT = 'SSM-SessionManagerRunShell';

/** The resource-tag conditions a host must carry for the role to open a session on it (the hosts stack's tags). */
export function hostSessionConditions(spec: ServiceSpec): Record<string, Record<string, string>> {
  // ssm:resourceTag/<key> on StartSession: https://docs.aws.amazon.com/systems-manager/latest/userguide/getting-started-restrict-access-examples.html (Example 2)
  return { StringEquals: { [`ssm:resourceTag/${TAG_SERVICE}`]: spec.serviceName, [`ssm:resourceTag/${TAG_ENVIRONMENT}`]: spec.environment } };
}

export interface HostsConfigRoleProps {
  readonly spec: ServiceSpec;
  readonly oidcProvider: iam.IOidcProvider;
}

export class HostsConfigRole extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: HostsConfigRoleProps) {
    super(scope, id);
    const { spec } = props;
    const region = spec.region;
    const account = Aws.ACCOUNT_ID;
    const partition = Aws.PARTITION;
    const bucketArn = `arn:${partition}:s3:::${hostTransferBucketName(spec, account)}`;

    this.role = new iam.Role(this, 'Role', {
      description: `GitHub Actions host configuration for ${spec.github.owner}/${spec.github.repo} (environment ${spec.environment})`,
      assumedBy: new iam.WebIdentityPrincipal(props.oidcProvider.oidcProviderArn, deployTrustConditions(spec)),
      maxSessionDuration: Duration.seconds(CONFIGURE_HOSTS_SESSION_SECONDS),
    });
    const policy = new iam.Policy(this, 'Policy', {
      statements: [
        // Neither supports resource-level permissions (Service Authorization Reference, EC2 and Systems Manager);
        // DescribeInstanceInformation is the job's wait for a new host's SSM agent to register.
        new iam.PolicyStatement({ sid: 'FindHosts', actions: ['ec2:DescribeInstances', 'ssm:DescribeInstanceInformation'], resources: ['*'] }),
        new iam.PolicyStatement({
          sid: 'ReadHostsStack',
          actions: ['cloudformation:DescribeStacks'],
          resources: [`arn:${partition}:cloudformation:${region}:${account}:stack/${spec.names.stacks.hosts}/*`],
        }),
        new iam.PolicyStatement({
          sid: 'SessionOnServiceHosts',
          actions: ['ssm:StartSession'],
          resources: [`arn:${partition}:ec2:${region}:${account}:instance/*`],
          conditions: hostSessionConditions(spec),
        }),
        new iam.PolicyStatement({
          sid: 'SessionDocument',
          actions: ['ssm:StartSession'],
          resources: [`arn:${partition}:ssm:${region}::document/${DEFAULT_SESSION_DOCUMENT}`],
        }),
        // A role session's own sessions, as AWS documents for federated users (Example 4 of the page above).
        new iam.PolicyStatement({
          sid: 'OwnSessions',
          actions: ['ssm:TerminateSession', 'ssm:ResumeSession'],
          resources: [`arn:${partition}:ssm:${region}:${account}:session/*`],
          conditions: { StringLike: { 'ssm:resourceTag/aws:ssmmessages:session-id': ['${aws:userid}'] } },
        }),
        // amazon.aws.aws_ssm "requirements": s3:GetObject, PutObject, DeleteObject, ListBucket, GetBucketLocation.
        new iam.PolicyStatement({ sid: 'TransferBucket', actions: ['s3:ListBucket', 's3:GetBucketLocation'], resources: [bucketArn] }),
        new iam.PolicyStatement({
          sid: 'TransferObjects',
          actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
          resources: [`${bucketArn}/*`],
        }),
      ],
    });
    this.role.attachInlinePolicy(policy);
    acknowledge(
      policy,
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'ec2:DescribeInstances and ssm:DescribeInstanceInformation have no resource-level permissions; both only read, and the job filters by the service tags.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:cloudformation:${region}:<AWS::AccountId>:stack/${spec.names.stacks.hosts}/*]`,
        reason: `A stack ARN ends in an id CloudFormation assigns at creation; '/*' matches only that id of the ${spec.names.stacks.hosts} stack.`,
      },
      {
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ec2:${region}:<AWS::AccountId>:instance/*]`,
        reason: 'Hosts are replaced with new instance ids; StartSession is allowed only on instances carrying this service\'s slipway:service and slipway:environment tags.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ssm:${region}:<AWS::AccountId>:session/*]`,
        reason: 'Session ids are assigned by SSM; the condition limits TerminateSession and ResumeSession to sessions this role session started.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::${hostTransferBucketName(spec, '<AWS::AccountId>')}/*]`,
        reason: 'The SSM connection keys each transfer object by instance id and a temporary path; the wildcard is object keys in the one transfer bucket, whose objects expire after a day.',
      },
    );
  }
}
