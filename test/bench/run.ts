/**
 * Runs the bench suites named on the command line (or all of them) and
 * prints each figure as a ratio against its same-run baseline.
 */
import { readdirSync } from 'fs';
import { join } from 'path';
import { BenchFigure, BenchSuite, renderFigures } from './harness';

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const files = readdirSync(__dirname).filter((f) => f.endsWith('.bench.ts')).sort();
  const all: BenchFigure[] = [];
  for (const file of files) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const suite = (require(join(__dirname, file)) as { suite: BenchSuite }).suite;
    if (wanted.length > 0 && !wanted.includes(suite.name)) continue;
    process.stdout.write(`== ${suite.name}\n`);
    const figures = await suite.run();
    process.stdout.write(`${renderFigures(figures)}\n`);
    all.push(...figures);
  }
  if (all.length === 0) {
    throw new Error(`no bench suite matched ${wanted.join(', ') || '(all)'}; suites live in test/bench/*.bench.ts`);
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
