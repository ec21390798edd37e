/** Entry point: wire the runner, inputs, clients and cancellation; the only place that fails the job. */
import { createClients } from './aws';
import { deploy } from './deploy';
import { readDeployInputs } from './inputs';
import { readRunContext } from './run-context';
import { Inputs, CoreRunner, describeFailure, realSleep, regionFromEnvironment, systemClock, watchCancellation } from '../../shared';

async function run(runner: CoreRunner): Promise<void> {
  const inputs = readDeployInputs(new Inputs(runner));
  const context = readRunContext(process.env);
  const region = regionFromEnvironment(process.env);
  const cancellation = watchCancellation(process);
  try {
    await deploy(inputs, {
      ...createClients(region),
      runner,
      region,
      context,
      signal: cancellation.signal,
      clock: systemClock,
      sleep: realSleep,
      random: Math.random,
    });
  } finally {
    cancellation.dispose();
  }
}

const runner = new CoreRunner();
run(runner).catch((error: unknown) => runner.setFailed(describeFailure(error)));
