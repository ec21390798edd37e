/**
 * Synth time: `cdk synth` of the full default estate (every stage, one
 * assembly) through the CDK CLI, against `cdk synth` of the stock
 * awscdk-app-ts sample app through its own CDK CLI, alternated in the same
 * run. Both run exactly as a user's `npx cdk synth` would (cdk.json's app, and
 * the stock project's build step), with CDK's CloudFormation validation left
 * on, into throwaway output dirs. Ours includes the cfn-guard policy
 * validation (AWS Control Tower rules); the figure is refused if its report
 * does not show that plugin ran. The same run also synthesizes the first
 * stage alone (first-stage-app.ts, the same app over one stage), so the cost
 * of each added stage is the estate's time less the first stage's, per added stage.
 */
import { execFileSync } from 'child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { BenchSuite, median, timedMs } from './harness';
import { ensureStockAwsCdkApp } from './stock-project';
import { CFN_GUARD_PLUGIN } from '../../src/infra/policy-validation';

const REPO_ROOT = resolve(__dirname, '..', '..');

/** cdk.json's app command with the entry replaced: the first stage alone. */
function firstStageApp(): string {
  const { app } = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as { app: string };
  if (!app.endsWith(' src/main.ts')) throw new Error(`cdk.json's app '${app}' no longer ends in src/main.ts: update the synth bench's one-stage entry`);
  return `${app.slice(0, -'src/main.ts'.length)}${join('test', 'bench', 'first-stage-app.ts')}`;
}

/** Same flags for all; the env keeps the CLI off the network (no version check, no telemetry, no notices). */
function synth(projectDir: string, outDir: string, app?: string, tmpDir?: string): void {
  const appArgs = app ? ['--app', app] : [];
  execFileSync(join(projectDir, 'node_modules', '.bin', 'cdk'), ['synth', '--quiet', '--no-notices', '--no-version-reporting', '--no-lookups', ...appArgs, '-o', outDir], {
    cwd: projectDir,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, CDK_DISABLE_VERSION_CHECK: 'true', CDK_DISABLE_CLI_TELEMETRY: 'true', ...(tmpDir ? { TMPDIR: tmpDir } : {}) },
  });
}

/** A synth with every cache under the temp dir cold (tsx's transforms, the shipper bundle, the cfn-guard report): a fresh TMPDIR. */
function coldSynth(work: string, outDir: string, app?: string): number {
  const tmp = mkdtempSync(join(work, 'tmp-'));
  return timedMs(() => synth(REPO_ROOT, outDir, app, tmp));
}

/** Fails unless the assembly's validation report shows the cfn-guard plugin ran over it. */
function assertGuardRan(outDir: string): void {
  const path = join(outDir, 'validation-report.json');
  const report = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as { pluginReports?: { pluginName: string }[] }) : {};
  if (!(report.pluginReports ?? []).some((p) => p.pluginName === CFN_GUARD_PLUGIN)) {
    throw new Error(`${path} has no ${CFN_GUARD_PLUGIN} report: the synth figure must include the policy validation`);
  }
}

/** Stacks and resources in a cloud assembly, so the figure says what was synthesized. */
function assemblySize(outDir: string): { stacks: number; resources: number; stages: number } {
  const manifest = JSON.parse(readFileSync(join(outDir, 'manifest.json'), 'utf8')) as {
    artifacts: Record<string, { type: string; properties?: { templateFile?: string } }>;
  };
  const stacks = Object.values(manifest.artifacts).filter((a) => a.type === 'aws:cloudformation:stack');
  const resources = stacks.reduce((sum, a) => {
    const template = JSON.parse(readFileSync(join(outDir, a.properties!.templateFile!), 'utf8')) as { Resources?: object };
    return sum + Object.keys(template.Resources ?? {}).length;
  }, 0);
  // Every stage has one delivery stack.
  const stages = Object.keys(manifest.artifacts).filter((id) => id.endsWith('-delivery')).length;
  return { stacks: stacks.length, resources, stages };
}

export const suite: BenchSuite = {
  name: 'synth',
  async run() {
    const stock = await ensureStockAwsCdkApp();
    const runs = Number(process.env.BENCH_RUNS ?? 5);
    const work = mkdtempSync(join(tmpdir(), 'slipway-synth-bench-'));
    try {
      const stockOut = join(work, 'stock.out');
      const oursOut = join(work, 'ours.out');
      const firstOut = join(work, 'first-stage.out');
      const oneStage = firstStageApp();
      // warm-up: file caches, tsx's transform cache, the stock project's first build
      synth(stock, stockOut);
      synth(REPO_ROOT, oursOut);
      synth(REPO_ROOT, firstOut, oneStage);
      const baseline: number[] = [];
      const ours: number[] = [];
      const first: number[] = [];
      // alternate, so machine load drifts over all three equally
      for (let i = 0; i < runs; i++) {
        baseline.push(timedMs(() => synth(stock, stockOut)));
        ours.push(timedMs(() => synth(REPO_ROOT, oursOut)));
        first.push(timedMs(() => synth(REPO_ROOT, firstOut, oneStage)));
      }
      assertGuardRan(oursOut);
      assertGuardRan(firstOut);
      const size = assemblySize(oursOut);
      const firstSize = assemblySize(firstOut);
      if (size.stages < 2 || firstSize.stages !== 1) {
        throw new Error(`the estate synthesized ${size.stages} stage(s) and the one-stage entry ${firstSize.stages}: the per-stage figure needs at least two and exactly one`);
      }
      const added = size.stages - 1;
      // Once more with cold caches, as a fresh CI machine synthesizes: the warm figures reuse the cfn-guard report.
      const coldOurs = coldSynth(work, oursOut);
      const coldFirst = coldSynth(work, firstOut, oneStage);
      return [
        {
          name: `cdk synth with cfn-guard validation, full default estate (${size.stages} stages, ${size.stacks} stacks, ${size.resources} resources)`,
          baseline: 'stock awscdk-app-ts sample cdk synth',
          baselineValue: median(baseline),
          value: median(ours),
          unit: 'ms',
          goal: 0.5,
        },
        {
          name: `cdk synth time each added stage costs: (full estate − first stage alone) / ${added}`,
          baseline: `cdk synth of the first stage alone (${firstSize.stacks} stacks, ${firstSize.resources} resources, cfn-guard included)`,
          baselineValue: median(first),
          value: (median(ours) - median(first)) / added,
          unit: 'ms',
          goal: 0.35,
        },
        {
          name: `the same with cold caches (fresh TMPDIR: tsx transforms, shipper bundle, cfn-guard report; one run each): (full estate − first stage) / ${added}`,
          baseline: 'cold cdk synth of the first stage alone',
          baselineValue: coldFirst,
          value: (coldOurs - coldFirst) / added,
          unit: 'ms',
          goal: 0.35,
        },
      ];
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  },
};
