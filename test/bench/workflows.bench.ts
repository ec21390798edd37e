/**
 * The generated pipeline: its critical path against a fully serial chain of
 * the same jobs; the offline template diff against merely reading the two
 * assemblies it compares; and, with SLIPWAY_BENCH_BUILD_JOB=1 (minutes: it
 * runs the whole test suite), the build job run locally against the
 * `npx projen build` step inside it.
 */
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App } from 'aws-cdk-lib';
import { parse } from 'yaml';
import { runBuildJobLocally } from './build-job-local';
import { BenchFigure, BenchSuite, medianMs } from './harness';
import { buildApp } from '../../src/infra/app';
import { readAssemblyTemplates } from '../../src/pipeline/cloud-assembly';
import { diffAssemblies } from '../../src/pipeline/template-diff';
import { renderDiffMarkdown } from '../../src/pipeline/template-diff-render';
import { criticalPath } from '../../src/projen/workflows';
import { ServiceSpec, normaliseServiceOptions, readSpecFile } from '../../src/spec';
import { withNetwork } from '../spec/fixtures';

const REPO_ROOT = join(__dirname, '..', '..');

function pipelineGraph(): Record<string, string[]> {
  const text = readFileSync(join(REPO_ROOT, '.github', 'workflows', 'pipeline.yml'), 'utf8');
  const workflow = parse(text) as { jobs: Record<string, { needs?: string | string[] }> };
  const needs = (n: string | string[] | undefined): string[] => (n === undefined ? [] : ([] as string[]).concat(n));
  return Object.fromEntries(Object.entries(workflow.jobs).map(([id, job]) => [id, needs(job.needs)]));
}

/** Synthesizes the service's stacks in process, the way `cdk synth` runs src/main.ts. */
function synthInProcess(outdir: string, spec: ServiceSpec): string {
  const app = new App({ outdir });
  buildApp(app, spec);
  app.synth();
  return outdir;
}

export const suite: BenchSuite = {
  name: 'workflows',
  async run() {
    const figures: BenchFigure[] = [];
    const graph = pipelineGraph();
    const path = criticalPath(graph);
    figures.push({
      name: `pipeline critical path (${path.join(' → ')})`,
      baseline: 'the same jobs run one after another',
      baselineValue: Object.keys(graph).length,
      value: path.length,
      unit: 'jobs',
      goal: 0.6,
    });

    // The seed estate against a re-addressed one with NAT egress: the change touches most resources.
    const work = mkdtempSync(join(tmpdir(), 'slipway-diff-bench-'));
    try {
      const base = synthInProcess(join(work, 'base'), readSpecFile(REPO_ROOT).stages[0]);
      const head = synthInProcess(
        join(work, 'head'),
        normaliseServiceOptions(withNetwork({
          cidr: '10.40.0.0/16',
          publicSubnets: ['10.40.0.0/24', '10.40.1.0/24'],
          privateSubnets: ['10.40.2.0/24', '10.40.3.0/24'],
          egress: 'nat-gateway',
        })),
      );
      // Each sample repeats the work: one pass takes about a millisecond, too short to time alone.
      const REPEAT = 50;
      const read = () => {
        for (let i = 0; i < REPEAT; i++) {
          readAssemblyTemplates(base);
          readAssemblyTemplates(head);
        }
      };
      let changed = 0;
      const diff = () => {
        for (let i = 0; i < REPEAT; i++) {
          const d = diffAssemblies(readAssemblyTemplates(base), readAssemblyTemplates(head));
          changed = d.stacks.reduce((n, s) => n + s.resources.length, 0);
          renderDiffMarkdown(d, { base: 'base', head: 'head' });
        }
      };
      const runs = Number(process.env.BENCH_RUNS ?? 5);
      const baselineValue = await medianMs(read, runs);
      const value = await medianMs(diff, runs);
      const resources = [...readAssemblyTemplates(head).values()].reduce((n, t) => n + Object.keys(t.Resources ?? {}).length, 0);
      figures.push({
        name: `template diff, seed estate vs re-addressed with NAT (${resources} resources, ${changed} changed): read + compare + render`,
        baseline: 'reading and parsing both assemblies',
        baselineValue: baselineValue / REPEAT,
        value: value / REPEAT,
        unit: 'ms',
        // Comparing and rendering may cost at most twice what reading the two assemblies costs.
        goal: 3,
      });
    } finally {
      rmSync(work, { recursive: true, force: true });
    }

    if (process.env.SLIPWAY_BENCH_BUILD_JOB === '1') {
      const { timings } = runBuildJobLocally();
      const failed = timings.find((t) => t.exitCode !== 0);
      if (failed) throw new Error(`the build job failed locally at step '${failed.id}' (exit ${failed.exitCode}); its time would not be the job's`);
      const build = timings.find((t) => t.id === 'service-checks')!;
      figures.push({
        name: 'build job run locally (every step)',
        baseline: 'its npx projen test:service step',
        baselineValue: build.ms / 1000,
        value: timings.reduce((s, t) => s + t.ms, 0) / 1000,
        unit: 's',
      });
    }
    return figures;
  },
};
