/** Facts about the workflow run, read from the runner's environment. */
import { createHash } from 'crypto';
import { ActionError } from '../../shared';

export interface RunContext {
  readonly runId: string;
  readonly runAttempt: string;
  /** Link back to the workflow run, for stop reasons and the summary. */
  readonly runUrl?: string;
  /** Identifies this step within the run: repository, job and step id. */
  readonly stepKey: string;
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
    stepKey: [repo ?? '', env.GITHUB_JOB ?? '', env.GITHUB_ACTION ?? ''].join('/'),
  };
}

/**
 * The StartPipelineExecution clientRequestToken: the same for a retried call
 * within one run attempt (so the pipeline starts once), different for a new
 * attempt or another pipeline. CodePipeline allows [A-Za-z0-9-]{1,128}.
 */
export function clientRequestToken(context: RunContext, pipelineName: string): string {
  const step = createHash('sha256').update(`${context.stepKey}\n${pipelineName}`).digest('hex').slice(0, 16);
  return `gh-${context.runId}-${context.runAttempt}-${step}`;
}
