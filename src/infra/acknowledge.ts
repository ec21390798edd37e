/**
 * cdk-nag, cfn-guard (policy-validation plugin) and CDK's built-in CloudFormation validation findings we accept on purpose. Each acknowledgement names the rule,
 * is attached to the one construct it covers, and carries a reason a reviewer
 * can check. They go through CDK's own `Validations` API (what cdk-nag v3
 * reads), so the app does not load cdk-nag at synth time.
 */
import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

export interface Acknowledgement {
  /** The rule, optionally with a finding: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/X]'. */
  readonly id: string;
  readonly reason: string;
}

export function acknowledge(scope: IConstruct, ...acks: Acknowledgement[]): void {
  for (const ack of acks) {
    if (!/^(AwsSolutions-[A-Za-z0-9]+(\[.+\])?|CloudFormation-Validate::[A-Z]\d+|Annotation::@aws-cdk\/[A-Za-z0-9-]+:[A-Za-z0-9]+|cdk-validator-cfnguard::[a-z0-9_]+)$/.test(ack.id)) {
      throw new Error(
        `'${ack.id}' is not a rule id we acknowledge; write e.g. 'AwsSolutions-VPC3', 'AwsSolutions-IAM5[Resource::*]', 'CloudFormation-Validate::W3010', ` +
          "'Annotation::@aws-cdk/aws-eks:clusterMustManuallyTagSubnet' or guardRule('sqs_dlq_check') (a cfn-guard Control Tower rule)",
      );
    }
    if (ack.reason.trim().length < 40) {
      throw new Error(`the reason for acknowledging ${ack.id} on ${scope.node.path} is too short to review: say why the finding is acceptable here`);
    }
    Validations.of(scope).acknowledge({ id: ack.id, reason: ack.reason });
  }
}
