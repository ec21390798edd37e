/**
 * `npm run bench -- upgrade`: the wall time of `npx projen upgrade-platform` (v1.0.0 → v2.0.0 of a local
 * template built from this checkout, the e2e test's scenario) against a fresh `npx projen` in the same
 * stamped repository, alternately in the same run. The upgrade's own service checks are skipped
 * (--no-checks): they are `npx projen test:service`, the same minutes in every push's build, and would
 * drown the upgrade's own cost; the figure is fetch + plan + replace + rename + record + regenerate.
 */
import { execFileSync } from 'child_process';
import { rmSync } from 'fs';
import { BenchSuite, median, timedMs } from './harness';
import { GIT_ENV, buildUpgradeScenario, git, projen } from '../upgrade/fixture-repos';

export const suite: BenchSuite = {
  name: 'upgrade',
  async run() {
    const { template, service, stampedCommit } = buildUpgradeScenario();
    try {
      const reset = () => {
        git(service, 'reset', '--quiet', '--hard', stampedCommit);
        execFileSync('git', ['clean', '-fdq'], { cwd: service, env: GIT_ENV });
      };
      const must = (what: string, r: ReturnType<typeof projen>) => {
        if (r.status !== 0) throw new Error(`${what} failed:\n${r.stdout}\n${r.stderr}`);
      };
      const runs = Number(process.env.BENCH_RUNS ?? 3);
      const upgrades: number[] = [];
      const regenerations: number[] = [];
      for (let i = 0; i <= runs; i++) {
        reset();
        const regen = timedMs(() => must('npx projen', projen(service)));
        reset();
        const up = timedMs(() => must('npx projen upgrade-platform', projen(service, 'upgrade-platform', '--source', template, '--no-checks')));
        // The first pair warms the caches (tsx, git objects); it is not counted.
        if (i > 0) {
          regenerations.push(regen);
          upgrades.push(up);
        }
      }
      return [
        {
          name: 'upgrade v1 → v2 (npx projen upgrade-platform --no-checks)',
          baseline: 'npx projen in the same stamped repo',
          baselineValue: median(regenerations),
          value: median(upgrades),
          unit: 'ms',
          goal: 3,
        },
      ];
    } finally {
      rmSync(template, { recursive: true, force: true });
      rmSync(service, { recursive: true, force: true });
    }
  },
};
