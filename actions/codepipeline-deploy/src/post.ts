/**
 * Post step: when the main step did not see its execution settle (the job was
 * cancelled or killed mid-wait), stop that execution. Problems here are
 * warnings: the job's verdict was already decided by the main step.
 */
import { createCodePipelineClient } from './aws';
import { STATE } from './deploy-run';
import { readRunContext } from './run-context';
import { stopExecution } from './stop';
import { CoreRunner, Inputs, describeFailure, realSleep, regionFromEnvironment, systemClock } from '../../shared';

async function post(runner: CoreRunner): Promise<void> {
  const executionId = runner.state(STATE.executionId);
  const pipelineName = runner.state(STATE.pipelineName);
  if (!executionId || !pipelineName || runner.state(STATE.settled) === 'true') return;
  if (!new Inputs(runner).boolean('stop-on-cancel', true)) {
    runner.warning(`pipeline '${pipelineName}' execution ${executionId} may still be running: the main step ended before it settled and stop-on-cancel is false.`);
    return;
  }
  const context = readRunContext(process.env);
  const reason = `Stopped by GitHub Actions: the workflow step ended before the execution finished${context.runUrl ? ` (${context.runUrl})` : ''}`;
  const client = createCodePipelineClient(regionFromEnvironment(process.env));
  const outcome = await stopExecution(client, pipelineName, executionId, reason, { clock: systemClock, sleep: realSleep });
  if (outcome.stopped) runner.info(outcome.message);
  else runner.warning(outcome.message);
}

const runner = new CoreRunner();
post(runner).catch((error: unknown) => runner.warning(`post step: ${describeFailure(error)}`));
