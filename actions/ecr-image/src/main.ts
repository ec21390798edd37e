/** Entry point: wire the runner, inputs, ECR client and builder commands; the only place that fails the job. */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { createEcrClient } from './aws';
import { spawnCommands } from './command';
import { publishImage } from './image';
import { readImageInputs } from './inputs';
import { Inputs, CoreRunner, describeFailure, realSleep, systemClock, watchCancellation } from '../../shared';

async function run(runner: CoreRunner): Promise<void> {
  const inputs = readImageInputs(new Inputs(runner), process.env);
  const workDir = mkdtempSync(join(process.env.RUNNER_TEMP ?? tmpdir(), 'slipway-image-'));
  const cancellation = watchCancellation(process);
  try {
    await publishImage(inputs, {
      ecr: inputs.registry === 'ecr' ? createEcrClient(process.env) : undefined,
      runner,
      commands: spawnCommands((line) => runner.info(line), process.env, cancellation.signal),
      workDir,
      env: process.env,
      clock: systemClock,
      sleep: realSleep,
      random: Math.random,
      signal: cancellation.signal,
    });
  } finally {
    cancellation.dispose();
    rmSync(workDir, { recursive: true, force: true });
  }
}

const runner = new CoreRunner();
run(runner).catch((error: unknown) => runner.setFailed(describeFailure(error)));
