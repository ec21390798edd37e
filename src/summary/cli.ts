/** Prints the summary after `cdk synth`; the main task's last step. */
import { readSpecFile } from '../spec';
import { readAssembly } from './assembly';
import { renderSummary } from './render';

try {
  const spec = readSpecFile();
  process.stdout.write(`${renderSummary(spec, readAssembly('cdk.out'))}\n`);
} catch (e) {
  process.stderr.write(`slipway summary: ${(e as Error).message}\n`);
  process.exitCode = 1;
}
