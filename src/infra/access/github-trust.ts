/**
 * Who may assume the two GitHub roles. AWS conditions GitHub's tokens on `aud` and `sub` only ("Support
 * for custom claims for OIDC is unavailable in AWS",
 * https://docs.github.com/en/actions/how-tos/secure-your-work/security-harden-deployments/oidc-in-aws), so the
 * workflow binding rides in the subject: the repository's OIDC subject template includes
 * `job_workflow_ref` (PUT /repos/{owner}/{repo}/actions/oidc/customization/sub with
 * include_claim_keys ["repo", "context", "job_workflow_ref"]), which makes every token's subject
 * `repo:<owner>/<repo>:<context>:job_workflow_ref:<owner>/<repo>/.github/workflows/<file>@<ref>`.
 *
 * - image-push role: pushes to a deploy branch, from the pipeline workflow on that branch.
 * - deploy role: the GitHub Environment only, from the pipeline workflow on a deploy branch. A job that
 *   names the environment from another branch or another workflow carries another subject and is refused.
 */
import type { ServiceSpec } from '../../spec';

export const GITHUB_OIDC_URL = 'https://token.actions.githubusercontent.com';
export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';
export const STS_AUDIENCE = 'sts.amazonaws.com';
/** The claims the repository's subject template must include, in this order (the README's setup step). */
export const SUBJECT_CLAIM_KEYS = ['repo', 'context', 'job_workflow_ref'] as const;
/** The generated pipeline's file: the only workflow either role trusts. */
export const PIPELINE_WORKFLOW_PATH = '.github/workflows/pipeline.yml';

type TrustSpec = Pick<ServiceSpec, 'github' | 'environment'>;
export type Conditions = Record<string, Record<string, string | string[]>>;

/** `job_workflow_ref` of the pipeline workflow run from `branch`. */
export function pipelineWorkflowRef(spec: TrustSpec, branch: string): string {
  return `${spec.github.owner}/${spec.github.repo}/${PIPELINE_WORKFLOW_PATH}@refs/heads/${branch}`;
}

/** Subjects of image jobs: a push to a deploy branch, the pipeline workflow of that branch. */
export function imagePushSubjects(spec: TrustSpec): string[] {
  const repo = `repo:${spec.github.owner}/${spec.github.repo}`;
  return spec.github.branches.map((branch) => `${repo}:ref:refs/heads/${branch}:job_workflow_ref:${pipelineWorkflowRef(spec, branch)}`);
}

/** Subjects of deploy jobs: the environment, from the pipeline workflow of a deploy branch. */
export function deploySubjects(spec: TrustSpec): string[] {
  const repo = `repo:${spec.github.owner}/${spec.github.repo}`;
  return spec.github.branches.map((branch) => `${repo}:environment:${spec.environment}:job_workflow_ref:${pipelineWorkflowRef(spec, branch)}`);
}

function exactly(subjects: string[]): Conditions {
  return { StringEquals: { [`${GITHUB_OIDC_HOST}:aud`]: STS_AUDIENCE, [`${GITHUB_OIDC_HOST}:sub`]: subjects } };
}

/** Trust conditions, exact audience and exact subjects, no wildcards. */
export function imagePushTrustConditions(spec: TrustSpec): Conditions {
  return exactly(imagePushSubjects(spec));
}

export function deployTrustConditions(spec: TrustSpec): Conditions {
  return exactly(deploySubjects(spec));
}
