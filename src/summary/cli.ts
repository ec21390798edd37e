/** Prints the summary after `cdk synth`; the main task's last step. */
import { readSpecFile } from '../spec';
import { readAssembly } from './assembly';
import { renderSummary } from './render';

try {
  const estate = readSpecFile();
  const assembly = readAssembly('cdk.out');
  process.stdout.write(`${renderSummary(estate, assembly)}\n`);
} catch (e) {
  process.stderr.write(`slipway summary: ${(e as Error).message}\n`);
  process.exitCode = 1;
}
