/** Entry point of the veracode-scan action: the one place that fails the job. */
import { runVeracodeScan } from './action';
import { watchCancellation } from '../../shared/cancellation';
import { describeFailure } from '../../shared/errors';
import { CoreRunner } from '../../shared/runner';

async function main(): Promise<void> {
  const runner = new CoreRunner();
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
