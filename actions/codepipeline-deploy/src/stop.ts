/** Stopping our execution (on cancel or timeout); used by the main and the post step. */
import { CodePipelineClient, StopPipelineExecutionCommand } from '@aws-sdk/client-codepipeline';
import { isExpiredCredentials } from './credentials';
import { Clock, Sleep, isThrottlingError, isTransientError } from '../../shared';

/** CodePipeline caps a stop reason at 200 characters. */
const MAX_REASON = 200;

/**
 * How long a refused (throttled, 5xx, unreachable) stop is retried. On cancellation the runner
 * sends SIGINT, then SIGTERM 7.5 s later, and kills the process tree 2.5 s after that
 * (https://docs.github.com/en/actions/managing-workflow-runs/canceling-a-workflow): the retries end
 * inside the first 7.5 s, leaving time for the summary.
 */
export const STOP_RETRY_WINDOW_MS = 6_000;
const FIRST_RETRY_MS = 250;

export interface StopRetry {
  readonly clock: Clock;
  /** Called without the cancellation signal: the stop is what cancellation asks for. */
  readonly sleep: Sleep;
  /** @default STOP_RETRY_WINDOW_MS */
  readonly windowMs?: number;
}

/** The stop call, repeated while it is refused for a reason that may pass and the window lasts. */
async function sendStop(client: CodePipelineClient, command: StopPipelineExecutionCommand, retry: StopRetry): Promise<void> {
  const deadline = retry.clock.now() + (retry.windowMs ?? STOP_RETRY_WINDOW_MS);
  for (let waitMs = FIRST_RETRY_MS; ; waitMs *= 2) {
    try {
      await client.send(command);
      return;
    } catch (error) {
      const left = deadline - retry.clock.now();
      if (!(isThrottlingError(error) || isTransientError(error)) || left <= 0) throw error;
      await retry.sleep(Math.min(waitMs, left));
    }
  }
}

/**
 * Asks CodePipeline to stop the execution, letting in-progress actions finish
 * (abandon: false) so no deployment is cut off half-way; a throttled or failed
 * call is retried within the cancel window. Returns what happened,
 * in words for the log; never throws, because it runs while already failing.
 */
export async function stopExecution(
  client: CodePipelineClient,
  pipelineName: string,
  executionId: string,
  reason: string,
  retry: StopRetry,
): Promise<{ stopped: boolean; message: string }> {
  try {
    await sendStop(client, new StopPipelineExecutionCommand({
      pipelineName,
      pipelineExecutionId: executionId,
      abandon: false,
      reason: reason.slice(0, MAX_REASON),
    }), retry);
    return { stopped: true, message: `asked CodePipeline to stop execution ${executionId} (in-progress actions finish first)` };
  } catch (e) {
    const error = e as Error;
    if (error.name === 'PipelineExecutionNotStoppableException') {
      return { stopped: false, message: `execution ${executionId} could not be stopped (it has already finished or is stopping): ${error.message}` };
    }
    if (error.name === 'DuplicatedStopRequestException') {
      return { stopped: true, message: `execution ${executionId} is already being stopped` };
    }
    if (isExpiredCredentials(error)) {
      return { stopped: false, message: `execution ${executionId} could not be stopped: the AWS credentials have expired (${error.name}); stop it in the CodePipeline console` };
    }
    return { stopped: false, message: `stopping execution ${executionId} failed: ${error.name}: ${error.message}` };
  }
}
