/**
 * CDK feature flags the service stacks rely on, set on each stack before it
 * has children (the app's cdk.json carries none). Each flag says why.
 */
import { Stack, cx_api } from 'aws-cdk-lib';

const FLAGS: Readonly<Record<string, true>> = {
  // Access logs are delivered through a bucket policy, not the legacy LogDeliveryWrite ACL.
  [cx_api.S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY]: true,
  // The EKS OIDC provider is a native CloudFormation resource, not a custom-resource Lambda.
  [cx_api.EKS_USE_NATIVE_OIDC_PROVIDER]: true,
  // Pipelines get no per-pipeline KMS key unless asked for one.
  [cx_api.CODEPIPELINE_CROSS_ACCOUNT_KEYS_DEFAULT_VALUE_TO_FALSE]: true,
  // Merge IAM statements with the same effect and principal.
  [cx_api.IAM_MINIMIZE_POLICIES]: true,
};

/** Call first thing in a stack's constructor. */
export function useServiceFeatureFlags(stack: Stack): void {
  if (stack.node.children.length > 0) {
    throw new Error(`feature flags must be set on ${stack.node.path} before any construct is added to it; call useServiceFeatureFlags first`);
  }
  for (const [flag, value] of Object.entries(FLAGS)) stack.node.setContext(flag, value);
}
