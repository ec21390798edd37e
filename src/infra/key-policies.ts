/**
 * Key policy statements every Slipway KMS key carries. AWS Control Tower's
 * CT.KMS.PR.3: grants on a key are created only by AWS services acting for
 * their own resources (EKS, SNS, …), never by a principal handing out access.
 */
import { aws_iam as iam, aws_kms as kms } from 'aws-cdk-lib';

export function denyGrantsOutsideAwsServices(key: kms.Key): void {
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'DenyGrantsExceptForAwsServices',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['kms:CreateGrant'],
      resources: ['*'],
      // BoolIfExists: a call without the key (not from a service) counts as false, so it is denied too.
      conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
    }),
  );
}
