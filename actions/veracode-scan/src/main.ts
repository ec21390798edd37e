/** Entry point of the veracode-scan action: the one place that fails the job. */
import { describeFailure } from '../../shared/errors';
import { watchCancellation } from '../../shared/cancellation';
import { ProcessRunner } from '../../shared/runner';
import { runVeracodeScan } from './action';

async function main(): Promise<void> {
  const runner = new ProcessRunner();
  const cancellation = watchCancellation();
  try {
    await runVeracodeScan({ runner, env: process.env, signal: cancellation.signal });
  } catch (error) {
    runner.setFailed(describeFailure(error));
  } finally {
    cancellation.dispose();
  }
}

void main();
