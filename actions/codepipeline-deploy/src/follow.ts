/**
 * Following one started execution: one call per interval, alternating status
 * and progress (4 calls a minute at 15 s), until a final status — or until
 * the run is cancelled, the wait times out, the credentials expire or we lose
 * sight of it, each of which ends the follow with what to tell the person.
 */
import { GetPipelineExecutionCommand } from '@aws-sdk/client-codepipeline';
import { isExpiredCredentials, sessionAdvice } from './credentials';
import { DeployRun, STATE, listActionExecutions } from './deploy-run';
import { Verdict, judgeExecution } from './execution';
import { ActionProgress, ProgressLog, toProgress } from './progress';
import { stopExecution } from './stop';
import { CancelledError, PollTimeoutError, READ_ONLY_TRANSIENT_RETRIES, formatDuration, poll } from '../../shared';

export interface ExecutionFacts {
  readonly pipelineName: string;
  readonly executionId: string;
  readonly executionUrl: string;
  readonly runUrl?: string;
}

export type FollowResult =
  | { readonly kind: 'verdict'; readonly verdict: Exclude<Verdict, { kind: 'running' }>; readonly actions: readonly ActionProgress[] }
  | {
    readonly kind: 'unfollowed';
    readonly lastStatus: string;
    /** For the summary. */
    readonly note: string;
    /** The job's failure message. */
    readonly message: string;
    /** False leaves the post step to stop the execution. */
    readonly settled: boolean;
    readonly actions: readonly ActionProgress[];
  };

/** What the follow has seen so far; its methods are the poll's two kinds of look. */
class Follower {
  lastStatus = 'InProgress';
  actions: ActionProgress[] = [];
  private turn = 0;
  private readonly progressLog = new ProgressLog();

  constructor(private readonly run: DeployRun, private readonly facts: ExecutionFacts) {}

  /** Odd turns list progress, even turns read the status; a failed call repeats its turn. */
  async check(): Promise<{ done: true; value: Verdict } | { done: false; state: string }> {
    if (this.turn % 2 === 1) {
      await this.refreshProgress();
      this.turn++;
      return { done: false, state: this.lastStatus };
    }
    const { pipelineName, executionId } = this.facts;
    const request = new GetPipelineExecutionCommand({ pipelineName, pipelineExecutionId: executionId });
    const got = await this.run.paced('CodePipeline GetPipelineExecution', () => this.run.deps.codepipeline.send(request));
    this.turn++;
    const seen = judgeExecution(got.pipelineExecution, { supersededIsSuccess: this.run.inputs.supersededIsSuccess });
    if (seen.status !== this.lastStatus) this.run.deps.runner.info(`execution ${executionId}: ${this.lastStatus} → ${seen.status}`);
    this.lastStatus = seen.status;
    return seen.kind === 'running' ? { done: false, state: seen.status } : { done: true, value: seen };
  }

  async refreshProgress(): Promise<void> {
    this.actions = toProgress(await listActionExecutions(this.run, this.facts.executionId));
    for (const line of this.progressLog.changes(this.actions)) this.run.deps.runner.info(line);
  }
}

export async function followExecution(run: DeployRun, facts: ExecutionFacts): Promise<FollowResult> {
  const follower = new Follower(run, facts);
  let verdict: Verdict;
  try {
    ({ value: verdict } = await poll<Verdict>({
      ...run.poll,
      what: `pipeline '${facts.pipelineName}' execution ${facts.executionId}`,
      firstCheckAfterMs: run.poll.intervalMs,
      // Following reads only (the start is not retried this way): ride out a passing server error.
      transientRetries: READ_ONLY_TRANSIENT_RETRIES,
      onTransient: (e, waitMs, retry) => run.deps.runner.info(`${(e as Error).message}; retry ${retry} of ${READ_ONLY_TRANSIENT_RETRIES} in ${formatDuration(waitMs)}`),
      check: () => follower.check(),
    }));
  } catch (error) {
    return { kind: 'unfollowed', lastStatus: follower.lastStatus, actions: follower.actions, ...await whyUnfollowed(run, facts, follower.lastStatus, error) };
  }
  // One last look so the summary and any failure name the actions as they ended.
  try {
    await follower.refreshProgress();
  } catch (e) {
    run.deps.runner.warning(`could not list the final action executions: ${(e as Error).name}: ${(e as Error).message}`);
  }
  if (verdict.kind === 'running') throw new Error('poll ended on a running execution');
  return { kind: 'verdict', verdict, actions: follower.actions };
}

/** Cancelled or timed out: stop it (or leave it); expired credentials or lost sight: leave it, and say where it is. */
type Unfollowed = Pick<Extract<FollowResult, { kind: 'unfollowed' }>, 'note' | 'message' | 'settled'>;

async function whyUnfollowed(run: DeployRun, facts: ExecutionFacts, lastStatus: string, error: unknown): Promise<Unfollowed> {
  const { pipelineName, executionId, executionUrl: url } = facts;
  if (error instanceof CancelledError || error instanceof PollTimeoutError) {
    const why = error instanceof CancelledError
      ? 'the workflow run was cancelled'
      : `it did not finish within ${formatDuration(run.poll.timeoutMs)} (timeout-minutes: ${run.inputs.timeoutMinutes}); last status ${lastStatus}`;
    const outcome = await stopOrLeave(run, executionId, why);
    const message = `pipeline '${pipelineName}' execution ${executionId}: ${why}; ${outcome.message}${outcome.stopped ? '' : ` (follow it at ${url})`}.`;
    return { note: `${why}; ${outcome.message}`, message, settled: false };
  }
  if (isExpiredCredentials(error)) {
    // Nothing can be stopped with these credentials: name the execution so a person can, and say what to raise.
    const after = formatDuration(run.deps.clock.now() - run.startedAt);
    return {
      note: `the AWS credentials expired after ${after}; the execution may still be running`,
      message: `the AWS credentials expired after ${after} while following execution ${executionId} of pipeline '${pipelineName}' (last status ${lastStatus}). `
        + `It may still be running and cannot be stopped with these credentials: follow or stop it at ${url}. To wait this long, ${sessionAdvice(run.inputs.timeoutMinutes)}.`,
      settled: true,
    };
  }
  // We lost sight of it (e.g. no permission to read it), which says nothing about the deployment itself:
  // leave it running rather than stop a healthy deploy, and say where to follow it.
  const reason = error instanceof Error ? error.message : String(error);
  return {
    note: `could not follow the execution (${reason}); it was left running`,
    message: `could not follow pipeline '${pipelineName}' execution ${executionId}, which was left running (follow it at ${url}): ${reason}`,
    settled: true,
  };
}

/** Stop (urgent, outside the budget but counted) when stop-on-cancel, else say it was left running. */
async function stopOrLeave(run: DeployRun, executionId: string, why: string): Promise<{ stopped: boolean; message: string }> {
  const { inputs, deps } = run;
  if (!inputs.stopOnCancel) {
    deps.runner.saveState(STATE.settled, 'true');
    return { stopped: false, message: 'left it running because stop-on-cancel is false' };
  }
  run.budget.record();
  const reason = `Stopped by GitHub Actions: ${why}${deps.context.runUrl ? ` (${deps.context.runUrl})` : ''}`;
  const outcome = await stopExecution(deps.codepipeline, inputs.pipelineName, executionId, reason, { clock: deps.clock, sleep: deps.sleep });
  // A successful stop means the post step has nothing left to do.
  if (outcome.stopped) deps.runner.saveState(STATE.settled, 'true');
  (outcome.stopped ? deps.runner.info : deps.runner.warning).call(deps.runner, outcome.message);
  return outcome;
}
