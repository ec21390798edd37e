/**
 * The hosts' instance role: SSM managed-instance access (Ansible reaches the
 * hosts over SSM, so there are no SSH keys) and the CloudWatch agent's
 * permissions. Both are AWS-maintained policies that track new SSM/agent
 * API calls; the acknowledgement below names them one by one.
 */
import { aws_iam as iam } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { ServiceSpec } from '../../spec';
import { acknowledge } from '../acknowledge';

export const HOST_MANAGED_POLICIES = ['AmazonSSMManagedInstanceCore', 'CloudWatchAgentServerPolicy'] as const;

export function hostRole(scope: Construct, id: string, spec: ServiceSpec): iam.Role {
  // No roleName: IAM names are account-wide (all regions), and nothing outside needs to find this one.
  const role = new iam.Role(scope, id, {
    assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
    description: `${spec.serviceName} hosts: SSM managed instance (Ansible over SSM) and CloudWatch agent`,
    managedPolicies: HOST_MANAGED_POLICIES.map((name) => iam.ManagedPolicy.fromAwsManagedPolicyName(name)),
  });
  acknowledge(
    role,
    {
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore]',
      reason: 'AWS-maintained minimum for an SSM managed instance; Ansible connects over SSM instead of SSH, and AWS updates the policy when the SSM agent needs new calls.',
    },
    {
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/CloudWatchAgentServerPolicy]',
      reason: 'AWS-maintained policy for the CloudWatch agent on the hosts (metrics and log shipping); a hand-written copy would drift from what the agent calls.',
    },
  );
  return role;
}
