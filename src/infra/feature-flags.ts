/**
 * CDK feature flags. The service starts from the flags `cdk init` writes for
 * the installed aws-cdk-lib (its recommended-feature-flags.json, which the
 * CLI copies into a new project's cdk.json), so a new service behaves like a
 * new CDK project: unique IMDSv2 launch template names, weak cross-stack
 * references, restricted default security groups and the rest. projen writes
 * the same set into cdk.json; `applyFeatureFlags` sets it on apps built in
 * tests (which read no cdk.json), without overriding a value already given.
 */
import type { App, Stack } from 'aws-cdk-lib';
import * as cxapi from 'aws-cdk-lib/cx-api';
import RECOMMENDED from 'aws-cdk-lib/recommended-feature-flags.json';

export type FeatureFlags = Readonly<Record<string, unknown>>;

/** What `cdk init` writes into cdk.json's context for this aws-cdk-lib, keys sorted as the CLI sorts them. */
export function recommendedFeatureFlags(): FeatureFlags {
  const flags: Record<string, unknown> = RECOMMENDED;
  return Object.fromEntries(Object.keys(flags).sort().map((key) => [key, flags[key]]));
}

/** Sets every recommended flag the app's context (cdk.json, --context) does not already set. Call before adding stacks. */
export function applyFeatureFlags(app: App): void {
  for (const [flag, value] of Object.entries(recommendedFeatureFlags())) {
    if (app.node.tryGetContext(flag) === undefined) app.node.setContext(flag, value);
  }
}

/** Flags the service stacks rely on whatever the app's context says; each says why. */
const REQUIRED: Readonly<Record<string, true>> = {
  // Access logs are delivered through a bucket policy, not the legacy LogDeliveryWrite ACL.
  [cxapi.S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY]: true,
  // The EKS OIDC provider is a native CloudFormation resource, not a custom-resource Lambda.
  [cxapi.EKS_USE_NATIVE_OIDC_PROVIDER]: true,
  // Pipelines get no per-pipeline KMS key unless asked for one.
  [cxapi.CODEPIPELINE_CROSS_ACCOUNT_KEYS_DEFAULT_VALUE_TO_FALSE]: true,
  // Merge IAM statements with the same effect and principal.
  [cxapi.IAM_MINIMIZE_POLICIES]: true,
  // Launch templates named per instance, not a fixed `<id>LaunchTemplate` shared by every stack in the account.
  [cxapi.EC2_UNIQUE_IMDSV2_LAUNCH_TEMPLATE_NAME]: true,
};

/** Call first thing in a stack's constructor. */
export function useServiceFeatureFlags(stack: Stack): void {
  if (stack.node.children.length > 0) {
    throw new Error(`feature flags must be set on ${stack.node.path} before any construct is added to it; call useServiceFeatureFlags first`);
  }
  for (const [flag, value] of Object.entries(REQUIRED)) stack.node.setContext(flag, value);
}
