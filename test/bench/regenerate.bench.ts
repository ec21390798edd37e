/**
 * Regenerate time: `npx projen` in this repository against `npx projen` in a
 * stock awscdk-app-ts project, measured alternately in the same run.
 */
import { execFileSync } from 'child_process';
import { join, resolve } from 'path';
import { BenchSuite, medianMs } from './harness';
import { ensureStockAwsCdkApp } from './stock-project';

const REPO_ROOT = resolve(__dirname, '..', '..');

function regenerate(dir: string): void {
  // Same command a user types; CI=true keeps projen from prompting, installs are skipped when nothing changed.
  execFileSync(join(dir, 'node_modules', '.bin', 'projen'), [], { cwd: dir, stdio: 'ignore', env: { ...process.env, CI: 'true' } });
}

export const suite: BenchSuite = {
  name: 'regenerate',
  async run() {
    const stock = await ensureStockAwsCdkApp();
    const runs = Number(process.env.BENCH_RUNS ?? 5);
    const baseline = await medianMs(() => regenerate(stock), runs);
    const ours = await medianMs(() => regenerate(REPO_ROOT), runs);
    return [
      {
        name: 'regenerate (npx projen)',
        baseline: 'stock awscdk-app-ts npx projen',
        baselineValue: baseline,
        value: ours,
        unit: 'ms',
        goal: 0.8,
      },
    ];
  },
};
