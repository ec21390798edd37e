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
 * - deploy role (and hosts-configuration role): the stage's GitHub Environment only, from the pipeline workflow
 *   or the rollback workflow on a deploy branch. A job that names the environment from another branch or another
 *   workflow carries another subject and is refused.
 */
import type { ServiceSpec } from '../../spec';

export const GITHUB_OIDC_URL = 'https://token.actions.githubusercontent.com';
export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';
export const STS_AUDIENCE = 'sts.amazonaws.com';
/** The claims the repository's subject template must include, in this order (the README's setup step). */
export const SUBJECT_CLAIM_KEYS = ['repo', 'context', 'job_workflow_ref'] as const;
/** The generated pipeline's file: the only workflow the image-push role trusts. */
export const PIPELINE_WORKFLOW_PATH = '.github/workflows/pipeline.yml';
/** The generated rollback workflow (a person deploys an earlier release to one stage): the deploy roles trust it too. */
export const ROLLBACK_WORKFLOW_PATH = '.github/workflows/rollback.yml';
/** The workflows whose jobs deploy a stage. */
export const DEPLOYING_WORKFLOW_PATHS = [PIPELINE_WORKFLOW_PATH, ROLLBACK_WORKFLOW_PATH] as const;

type TrustSpec = Pick<ServiceSpec, 'github' | 'environment'>;
export type Conditions = Record<string, Record<string, string | string[]>>;

/** `job_workflow_ref` of the pipeline workflow (or another of this repository's workflows) run from `branch`. */
export function pipelineWorkflowRef(spec: TrustSpec, branch: string, workflowPath: string = PIPELINE_WORKFLOW_PATH): string {
  return `${spec.github.owner}/${spec.github.repo}/${workflowPath}@refs/heads/${branch}`;
}

/** Subjects of image jobs: a push to a deploy branch, the pipeline workflow of that branch. */
export function imagePushSubjects(spec: TrustSpec): string[] {
  const repo = `repo:${spec.github.owner}/${spec.github.repo}`;
  return spec.github.branches.map((branch) => `${repo}:ref:refs/heads/${branch}:job_workflow_ref:${pipelineWorkflowRef(spec, branch)}`);
}

/** Subjects of deploy jobs: the stage's environment, from the pipeline or rollback workflow of a deploy branch. */
export function deploySubjects(spec: TrustSpec): string[] {
  const repo = `repo:${spec.github.owner}/${spec.github.repo}`;
  return DEPLOYING_WORKFLOW_PATHS.flatMap((workflow) =>
    spec.github.branches.map((branch) => `${repo}:environment:${spec.environment}:job_workflow_ref:${pipelineWorkflowRef(spec, branch, workflow)}`));
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
