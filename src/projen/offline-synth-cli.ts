/**
 * The main task's synth: start from a clean assembly, run the offline `cdk
 * synth`, and pass its output through without the one misleading hint (see
 * synth-output.ts). Usage: tsx src/projen/offline-synth-cli.ts <assembly dir>
 */
import { spawn } from 'child_process';
import { removeStaleAssembly } from './clean-assembly';
import { OFFLINE_SYNTH_ARGS } from './offline-cdk';
import { LineSplitter, isDroppedSynthLine } from './synth-output';

const outdir = process.argv[2] ?? 'cdk.out';
const cleaned = removeStaleAssembly(process.cwd(), outdir);
if ('refused' in cleaned) {
  process.stderr.write(`slipway synth: ${cleaned.refused}\n`);
  process.exit(1);
}

const child = spawn('cdk', [...OFFLINE_SYNTH_ARGS, '--output', outdir], { stdio: ['inherit', 'pipe', 'pipe'] });
for (const [from, to] of [[child.stdout, process.stdout], [child.stderr, process.stderr]] as const) {
  const lines = new LineSplitter();
  const write = (batch: string[]): void => {
    for (const line of batch) if (!isDroppedSynthLine(line)) to.write(`${line}\n`);
  };
  from.setEncoding('utf8');
  from.on('data', (chunk: string) => write(lines.push(chunk)));
  from.on('end', () => write(lines.end()));
}
child.on('error', (e) => {
  process.stderr.write(`slipway synth: could not start cdk (${e.message}); run 'npm ci' first\n`);
  process.exitCode = 1;
});
child.on('close', (code, signal) => {
  process.exitCode = code ?? (signal ? 1 : 0);
});
