/**
 * The bridge: start one pipeline execution, report its id at once, follow
 * that execution (never "the newest one") until it is final, and stop it when
 * the run is cancelled or the wait times out. AWS clients, clock and sleep are
 * injected; nothing here reads the environment.
 */
import {
  ActionExecutionDetail,
  CodePipelineClient,
  GetPipelineCommand,
  GetPipelineExecutionCommand,
  ListActionExecutionsCommand,
  SourceRevisionOverride,
  StartPipelineExecutionCommand,
} from '@aws-sdk/client-codepipeline';
import { S3Client } from '@aws-sdk/client-s3';
import { isExpiredCredentials, sessionAdvice } from './credentials';
import { Verdict, failureMessage, judgeExecution } from './execution';
import { DeployInputs } from './inputs';
import { executionUrl } from './links';
import { ActionProgress, ProgressLog, renderSummary, toProgress } from './progress';
import { RunContext, clientRequestToken } from './run-context';
import { stopExecution } from './stop';
import { sourceRevisionsFor, uploadSource } from './upload';
import {
  ActionError,
  CallBudget,
  awsCall,
  CancelledError,
  Clock,
  PollTimeoutError,
  READ_ONLY_TRANSIENT_RETRIES,
  Random,
  Runner,
  Sleep,
  formatDuration,
  poll,
} from '../../shared';

/** State names shared with the post step. */
export const STATE = { executionId: 'execution-id', pipelineName: 'pipeline-name', settled: 'settled' } as const;

export interface DeployDeps {
  readonly codepipeline: CodePipelineClient;
  readonly s3: S3Client;
  readonly runner: Runner;
  readonly region: string;
  readonly context: RunContext;
  /** Aborted when the workflow run is cancelled. */
  readonly signal: AbortSignal;
  readonly clock: Clock;
  readonly sleep: Sleep;
  readonly random: Random;
}

export interface DeployResult {
  readonly executionId: string;
  readonly status: string;
}

/** Calls a minute: one per poll interval, never fewer than 4 (the default 15 s gives exactly 4). */
export function callsPerMinute(pollIntervalSeconds: number): number {
  return Math.max(4, Math.ceil(60 / pollIntervalSeconds));
}

export async function deploy(inputs: DeployInputs, deps: DeployDeps): Promise<DeployResult> {
  const { codepipeline, runner, signal } = deps;
  const startedAt = deps.clock.now();
  const intervalMs = inputs.pollIntervalSeconds * 1000;
  const timeoutMs = inputs.timeoutMinutes * 60_000;
  const budget = new CallBudget({ calls: callsPerMinute(inputs.pollIntervalSeconds), clock: deps.clock, sleep: deps.sleep });
  const paced: Paced = async (operation, call) => {
    await budget.take(signal);
    return awsCall(operation, call);
  };
  const pollOptions = {
    intervalMs,
    timeoutMs,
    signal,
    clock: deps.clock,
    sleep: deps.sleep,
    random: deps.random,
    onThrottle: (_e: unknown, waitMs: number) => runner.info(`CodePipeline is throttling us; waiting ${formatDuration(waitMs)} before the next call`),
  };

  const sourceRevisions = inputs.source ? await pinnedSource(inputs, deps, paced) : undefined;

  // Throttling on the start call backs off like polling; the token makes the retry safe.
  const token = clientRequestToken(deps.context, inputs);
  const { value: executionId } = await poll({
    ...pollOptions,
    what: `starting pipeline '${inputs.pipelineName}'`,
    check: async () => {
      const started = await paced('CodePipeline StartPipelineExecution', () => codepipeline.send(new StartPipelineExecutionCommand({
        name: inputs.pipelineName,
        clientRequestToken: token,
        variables: inputs.variables.length > 0 ? inputs.variables.map((v) => ({ name: v.name, value: v.value })) : undefined,
        sourceRevisions,
      })));
      if (!started.pipelineExecutionId) throw new ActionError(`StartPipelineExecution for '${inputs.pipelineName}' returned no pipelineExecutionId`);
      return { done: true, value: started.pipelineExecutionId };
    },
  });

  const url = executionUrl(deps.region, inputs.pipelineName, executionId);
  runner.setOutput('execution-id', executionId);
  runner.setOutput('execution-url', url);
  runner.saveState(STATE.executionId, executionId);
  runner.saveState(STATE.pipelineName, inputs.pipelineName);
  runner.info(`started pipeline '${inputs.pipelineName}' execution ${executionId}: ${url}`);
  const facts = { pipelineName: inputs.pipelineName, executionId, executionUrl: url, runUrl: deps.context.runUrl };

  if (!inputs.wait) {
    runner.setOutput('status', 'InProgress');
    runner.saveState(STATE.settled, 'true');
    renderSummary({ ...facts, status: 'InProgress', note: 'wait is false: this job did not wait for the execution.' }, []).write(runner);
    return { executionId, status: 'InProgress' };
  }

  const progressLog = new ProgressLog();
  let actions: ActionProgress[] = [];
  let lastStatus = 'InProgress';
  const refreshProgress = async (): Promise<void> => {
    actions = toProgress(await listActionExecutions(codepipeline, inputs.pipelineName, executionId, paced));
    for (const line of progressLog.changes(actions)) runner.info(line);
  };
  /** `settled` false leaves the post step to stop an execution we could not stop ourselves. */
  const finish = (status: string, note?: string, settled = true): void => {
    runner.setOutput('status', status);
    if (settled) runner.saveState(STATE.settled, 'true');
    renderSummary({ ...facts, status, note }, actions).write(runner);
  };

  let verdict: Verdict;
  try {
    let turn = 0;
    ({ value: verdict } = await poll<Verdict>({
      ...pollOptions,
      what: `pipeline '${inputs.pipelineName}' execution ${executionId}`,
      firstCheckAfterMs: intervalMs,
      // Following reads only (the start above is not retried this way): ride out a passing server error.
      transientRetries: READ_ONLY_TRANSIENT_RETRIES,
      onTransient: (e, waitMs, retry) => runner.info(`${(e as Error).message}; retry ${retry} of ${READ_ONLY_TRANSIENT_RETRIES} in ${formatDuration(waitMs)}`),
      // One call per interval, alternating status and progress: 4 calls a minute at 15 s.
      // The turn moves on only after a call succeeds, so a retried failure repeats that call and counts in a row.
      check: async () => {
        if (turn % 2 === 1) {
          await refreshProgress();
          turn++;
          return { done: false, state: lastStatus };
        }
        const request = new GetPipelineExecutionCommand({ pipelineName: inputs.pipelineName, pipelineExecutionId: executionId });
        const got = await paced('CodePipeline GetPipelineExecution', () => codepipeline.send(request));
        turn++;
        const seen = judgeExecution(got.pipelineExecution, { supersededIsSuccess: inputs.supersededIsSuccess });
        if (seen.status !== lastStatus) runner.info(`execution ${executionId}: ${lastStatus} → ${seen.status}`);
        lastStatus = seen.status;
        return seen.kind === 'running' ? { done: false, state: seen.status } : { done: true, value: seen };
      },
    }));
  } catch (error) {
    if (error instanceof CancelledError || error instanceof PollTimeoutError) {
      const why = error instanceof CancelledError
        ? 'the workflow run was cancelled'
        : `it did not finish within ${formatDuration(timeoutMs)} (timeout-minutes: ${inputs.timeoutMinutes}); last status ${lastStatus}`;
      const outcome = await stopOrLeave(inputs, deps, budget, executionId, why);
      finish(lastStatus, `${why}; ${outcome.message}`, false);
      throw new ActionError(`pipeline '${inputs.pipelineName}' execution ${executionId}: ${why}; ${outcome.message}${outcome.stopped ? '' : ` (follow it at ${url})`}.`);
    }
    if (isExpiredCredentials(error)) {
      // Nothing can be stopped with these credentials: name the execution so a person can, and say what to raise.
      const after = formatDuration(deps.clock.now() - startedAt);
      deps.runner.saveState(STATE.settled, 'true');
      finish(lastStatus, `the AWS credentials expired after ${after}; the execution may still be running`);
      throw new ActionError(
        `the AWS credentials expired after ${after} while following execution ${executionId} of pipeline '${inputs.pipelineName}' (last status ${lastStatus}). `
        + `It may still be running and cannot be stopped with these credentials: follow or stop it at ${url}. To wait this long, ${sessionAdvice(inputs.timeoutMinutes)}.`,
      );
    }
    // We lost sight of it (e.g. no permission to read it), which says nothing about the deployment itself:
    // leave it running rather than stop a healthy deploy, and say where to follow it.
    const reason = error instanceof Error ? error.message : String(error);
    finish(lastStatus, `could not follow the execution (${reason}); it was left running`);
    throw new ActionError(`could not follow pipeline '${inputs.pipelineName}' execution ${executionId}, which was left running (follow it at ${url}): ${reason}`);
  }

  // One last look so the summary and any failure name the actions as they ended.
  try {
    await refreshProgress();
  } catch (e) {
    runner.warning(`could not list the final action executions: ${(e as Error).name}: ${(e as Error).message}`);
  }
  if (verdict.kind === 'failed') {
    finish(verdict.status);
    throw new ActionError(failureMessage(inputs.pipelineName, executionId, verdict, actions));
  }
  finish(verdict.status, verdict.kind === 'succeeded' ? verdict.note : undefined);
  runner.info(`pipeline '${inputs.pipelineName}' execution ${executionId} ${verdict.status}`);
  return { executionId, status: verdict.status };
}

/** One AWS call within the call budget, its failures naming `operation`. */
type Paced = <T>(operation: string, call: () => Promise<T>) => Promise<T>;

/** Upload, then look up which source actions read that object. */
async function pinnedSource(inputs: DeployInputs, deps: DeployDeps, paced: Paced): Promise<SourceRevisionOverride[]> {
  const source = inputs.source!;
  const versionId = await paced(`S3 PutObject s3://${source.bucket}/${source.key}`, () => uploadSource(deps.s3, source));
  deps.runner.info(`uploaded ${source.file} to s3://${source.bucket}/${source.key} (version ${versionId})`);
  const got = await paced('CodePipeline GetPipeline', () => deps.codepipeline.send(new GetPipelineCommand({ name: inputs.pipelineName })));
  return sourceRevisionsFor(got.pipeline, source, versionId);
}

/** Every action execution of this execution id (paginated, each page within the budget). */
async function listActionExecutions(
  client: CodePipelineClient,
  pipelineName: string,
  executionId: string,
  paced: Paced,
): Promise<ActionExecutionDetail[]> {
  const all: ActionExecutionDetail[] = [];
  let nextToken: string | undefined;
  do {
    const page = await paced('CodePipeline ListActionExecutions', () => client.send(new ListActionExecutionsCommand({
      pipelineName,
      filter: { pipelineExecutionId: executionId },
      maxResults: 100,
      nextToken,
    })));
    all.push(...(page.actionExecutionDetails ?? []).filter((d) => d.pipelineExecutionId === undefined || d.pipelineExecutionId === executionId));
    nextToken = page.nextToken;
  } while (nextToken);
  return all;
}

/** Stop (urgent, outside the budget but counted) when stop-on-cancel, else say it was left running. */
async function stopOrLeave(
  inputs: DeployInputs,
  deps: DeployDeps,
  budget: CallBudget,
  executionId: string,
  why: string,
): Promise<{ stopped: boolean; message: string }> {
  if (!inputs.stopOnCancel) {
    deps.runner.saveState(STATE.settled, 'true');
    return { stopped: false, message: 'left it running because stop-on-cancel is false' };
  }
  budget.record();
  const reason = `Stopped by GitHub Actions: ${why}${deps.context.runUrl ? ` (${deps.context.runUrl})` : ''}`;
  const outcome = await stopExecution(deps.codepipeline, inputs.pipelineName, executionId, reason);
  // A successful stop means the post step has nothing left to do.
  if (outcome.stopped) deps.runner.saveState(STATE.settled, 'true');
  (outcome.stopped ? deps.runner.info : deps.runner.warning).call(deps.runner, outcome.message);
  return outcome;
}
