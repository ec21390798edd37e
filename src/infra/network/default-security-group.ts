/**
 * Every VPC comes with a default security group that admits all traffic from
 * itself and sends anywhere; anything launched without a group lands in it.
 * CloudFormation cannot change its rules, and CDK's own fix (the
 * restrictDefaultSecurityGroup flag) applies only to its L2 Vpc, so the
 * network stack revokes both rules itself, through EC2's API, once the VPC
 * exists (CIS AWS Foundations 5.4; AWS Security Hub EC2.2).
 * https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html
 */
import { Stack, aws_ec2 as ec2, aws_iam as iam, aws_logs as logs, custom_resources as cr } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { acknowledge } from '../acknowledge';
import { guardRule } from '../policy-validation';
import { RETAINED } from '../retained';

/** The rules EC2 puts on a new VPC's default security group (IPv4 only: the VPC has no IPv6 block). */
export function defaultSecurityGroupRules(groupId: string): { ingress: Record<string, unknown>; egress: Record<string, unknown> } {
  return {
    ingress: { GroupId: groupId, IpPermissions: [{ IpProtocol: '-1', UserIdGroupPairs: [{ GroupId: groupId }] }] },
    egress: { GroupId: groupId, IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] },
  };
}

export interface RestrictedDefaultSecurityGroupProps {
  readonly vpc: ec2.CfnVPC;
}

export class RestrictedDefaultSecurityGroup extends Construct {
  constructor(scope: Construct, id: string, props: RestrictedDefaultSecurityGroupProps) {
    super(scope, id);
    const groupId = props.vpc.attrDefaultSecurityGroup;
    const rules = defaultSecurityGroupRules(groupId);
    const groupArn = Stack.of(this).formatArn({ service: 'ec2', resource: 'security-group', resourceName: groupId });
    for (const [direction, parameters] of [['Ingress', rules.ingress], ['Egress', rules.egress]] as const) {
      const call: cr.AwsSdkCall = {
        service: 'EC2',
        action: `RevokeSecurityGroup${direction}`,
        parameters,
        physicalResourceId: cr.PhysicalResourceId.of(`${direction.toLowerCase()}-revoked`),
        // Already revoked (a retried create, or someone did it by hand) is the state we want.
        ignoreErrorCodesMatching: 'InvalidPermission.NotFound',
      };
      new cr.AwsCustomResource(this, `Revoke${direction}`, {
        onCreate: call,
        onUpdate: call,
        policy: cr.AwsCustomResourcePolicy.fromStatements([
          new iam.PolicyStatement({ actions: [`ec2:RevokeSecurityGroup${direction}`], resources: [groupArn] }),
        ]),
        // The SDK in the Lambda runtime is enough; installing the latest would need the internet at deploy.
        installLatestAwsSdk: false,
      });
    }
    // The stack's singleton provider Lambda that AwsCustomResource adds; its role is CDK's, with the basic execution policy.
    const provider = Stack.of(this).node.tryFindChild(`AWS${cr.AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`);
    if (!provider) throw new Error(`no AwsCustomResource provider Lambda in ${Stack.of(this).stackName}; aws-cdk-lib changed its id`);
    // Its CDK-managed log group (@aws-cdk/aws-lambda:useCdkManagedLogGroup) is kept like all our state.
    for (const child of provider.node.findAll()) {
      if (child instanceof logs.CfnLogGroup) child.applyRemovalPolicy(RETAINED);
    }
    acknowledge(provider, {
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: 'CDK\'s custom-resource Lambda that revokes the default security group rules writes only its own logs; AWSLambdaBasicExecutionRole is exactly that.',
    }, {
      id: guardRule('lambda_inside_vpc_check'),
      reason: 'It makes two EC2 API calls at deploy time and touches no data; outside the VPC it needs no EC2 interface endpoint, and egress none would leave it no route to the API.',
    }, {
      id: guardRule('cloudwatch_log_group_encrypted_check'),
      reason: 'Its log group (CDK-managed) holds only the deploy-time API call results; CloudWatch Logs encrypts it at rest with service-owned keys.',
    });
  }
}
