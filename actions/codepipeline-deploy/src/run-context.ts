/** Facts about the workflow run, read from the runner's environment, and the start call's idempotency token. */
import { createHash } from 'crypto';
import { ActionError, KeyValue } from '../../shared';

export interface RunContext {
  readonly runId: string;
  readonly runAttempt: string;
  /** Link back to the workflow run, for stop reasons and the summary. */
  readonly runUrl?: string;
  /**
   * What identifies this step's request within the run, the same in every
   * attempt: repository, workflow ref (the caller's, for a reusable workflow),
   * job id, step id and the commit.
   */
  readonly request: {
    readonly repository: string;
    readonly workflowRef: string;
    readonly job: string;
    readonly step: string;
    readonly sha: string;
  };
}

export function readRunContext(env: NodeJS.ProcessEnv): RunContext {
  const runId = env.GITHUB_RUN_ID ?? '';
  const runAttempt = env.GITHUB_RUN_ATTEMPT ?? '';
  if (!/^\d+$/.test(runId) || !/^\d+$/.test(runAttempt)) {
    throw new ActionError(
      `GITHUB_RUN_ID and GITHUB_RUN_ATTEMPT must be numbers (got '${runId}' and '${runAttempt}'): the start call's idempotency token is derived from them. Run this action inside GitHub Actions, or set both when running it by hand.`,
    );
  }
  const server = env.GITHUB_SERVER_URL ?? 'https://github.com';
  const repo = env.GITHUB_REPOSITORY;
  return {
    runId,
    runAttempt,
    runUrl: repo ? `${server}/${repo}/actions/runs/${runId}/attempts/${runAttempt}` : undefined,
    request: {
      repository: repo ?? '',
      workflowRef: env.GITHUB_WORKFLOW_REF ?? '',
      job: env.GITHUB_JOB ?? '',
      step: env.GITHUB_ACTION ?? '',
      sha: env.GITHUB_SHA ?? '',
    },
  };
}

/** What the caller asks for: which pipeline, with which release (variables, source object) and matrix leg. */
export interface StartRequest {
  readonly pipelineName: string;
  readonly variables: readonly KeyValue[];
  readonly source?: { readonly bucket: string; readonly key: string };
  /** The job's matrix as `toJSON(matrix)` gives it ('null' outside a matrix); the runner exposes no matrix variable. */
  readonly matrix: string;
}

/** Key order and whitespace do not make a different matrix leg. */
function canonicalJson(text: string): string {
  const sort = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(sort);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, sort(v)]));
    return value;
  };
  try {
    return JSON.stringify(sort(JSON.parse(text)));
  } catch {
    return text;
  }
}

/**
 * The StartPipelineExecution clientRequestToken. It repeats for a retry of the
 * same request — a retried call, or a re-run attempt of the job for the same
 * commit and inputs, which then follows the execution the first attempt
 * started instead of deploying twice — and differs for any other request in
 * the run: another matrix leg, another caller workflow, job or step, another
 * pipeline or release. CodePipeline allows 1–128 of [A-Za-z0-9-]
 * (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_StartPipelineExecution.html).
 */
export function clientRequestToken(context: RunContext, request: StartRequest): string {
  const identity = JSON.stringify([
    context.request.repository,
    context.runId,
    context.request.workflowRef,
    context.request.job,
    context.request.step,
    canonicalJson(request.matrix),
    request.pipelineName,
    context.request.sha,
    [...request.variables].sort((a, b) => a.name.localeCompare(b.name)).map((v) => [v.name, v.value]),
    request.source ? [request.source.bucket, request.source.key] : null,
  ]);
  return `gh-${context.runId}-${createHash('sha256').update(identity).digest('hex').slice(0, 40)}`;
}
