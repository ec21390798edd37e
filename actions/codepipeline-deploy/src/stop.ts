/** Stopping our execution (on cancel or timeout); used by the main and the post step. */
import { CodePipelineClient, StopPipelineExecutionCommand } from '@aws-sdk/client-codepipeline';
import { isExpiredCredentials } from './credentials';

/** CodePipeline caps a stop reason at 200 characters. */
const MAX_REASON = 200;

/**
 * Asks CodePipeline to stop the execution, letting in-progress actions finish
 * (abandon: false) so no deployment is cut off half-way. Returns what happened,
 * in words for the log; never throws, because it runs while already failing.
 */
export async function stopExecution(
  client: CodePipelineClient,
  pipelineName: string,
  executionId: string,
  reason: string,
): Promise<{ stopped: boolean; message: string }> {
  try {
    await client.send(new StopPipelineExecutionCommand({
      pipelineName,
      pipelineExecutionId: executionId,
      abandon: false,
      reason: reason.slice(0, MAX_REASON),
    }));
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
