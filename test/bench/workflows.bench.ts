/**
 * The generated pipeline: the critical path to the release against a fully
 * serial chain of the same jobs, and what each stage adds to it (promotion is
 * serial by design: a stage starts when the one before has succeeded); the
 * offline template diff of the whole estate (every stage in one assembly,
 * grouped by stage) against merely reading the two assemblies it compares;
 * and, with SLIPWAY_BENCH_BUILD_JOB=1 (minutes: it runs the whole test suite),
 * the build job run locally against the `npx projen build` step inside it.
 */
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App } from 'aws-cdk-lib';
import { parse } from 'yaml';
import { runBuildJobLocally } from './build-job-local';
import { BenchFigure, BenchSuite, medianMs } from './harness';
import { buildEstate } from '../../src/infra/app';
import { readAssemblyTemplates } from '../../src/pipeline/cloud-assembly';
import { stackStagesOf } from '../../src/pipeline/stack-stages';
import { diffAssemblies } from '../../src/pipeline/template-diff';
import { renderDiffMarkdown } from '../../src/pipeline/template-diff-render';
import { criticalPath } from '../../src/projen/workflows';
import { EstateSpec, normaliseEstate, readSpecFile } from '../../src/spec';
import { seedOptions } from '../spec/fixtures';

const REPO_ROOT = join(__dirname, '..', '..');

function pipelineGraph(): Record<string, string[]> {
  const text = readFileSync(join(REPO_ROOT, '.github', 'workflows', 'pipeline.yml'), 'utf8');
  const workflow = parse(text) as { jobs: Record<string, { needs?: string | string[] }> };
  const needs = (n: string | string[] | undefined): string[] => (n === undefined ? [] : ([] as string[]).concat(n));
  return Object.fromEntries(Object.entries(workflow.jobs).map(([id, job]) => [id, needs(job.needs)]));
}

/** Synthesizes every stage's stacks in process, the way `cdk synth` runs src/main.ts. */
function synthInProcess(outdir: string, estate: EstateSpec): string {
  const app = new App({ outdir });
  buildEstate(app, estate);
  app.synth();
  return outdir;
}

const isStageJob = (id: string) => id.startsWith('deploy-') || id.startsWith('configure-hosts-');

export const suite: BenchSuite = {
  name: 'workflows',
  async run() {
    const figures: BenchFigure[] = [];
    const graph = pipelineGraph();
    const releaseGraph = Object.fromEntries(Object.entries(graph).filter(([id]) => !isStageJob(id)));
    const toRelease = criticalPath(releaseGraph);
    figures.push({
      name: `pipeline critical path to the release (${toRelease.join(' → ')})`,
      baseline: 'the same jobs run one after another',
      baselineValue: Object.keys(releaseGraph).length,
      value: toRelease.length,
      unit: 'jobs',
      // The scans and the image run side by side: 3 deep of 5 jobs.
      goal: 0.6,
    });
    const path = criticalPath(graph);
    const stageJobs = Object.keys(graph).filter(isStageJob);
    figures.push({
      name: `pipeline critical path through every stage (${path.join(' → ')})`,
      baseline: 'the path to the release',
      baselineValue: toRelease.length,
      value: path.length,
      unit: 'jobs',
      // Each stage adds its own jobs and nothing else: the build is not repeated per stage.
      goal: (toRelease.length + stageJobs.length) / toRelease.length,
    });

    // The repository's estate (every stage) against one whose staging is re-addressed with NAT egress: the change
    // touches most of staging's resources and none of production's.
    const work = mkdtempSync(join(tmpdir(), 'slipway-diff-bench-'));
    try {
      const current = readSpecFile(REPO_ROOT);
      const base = synthInProcess(join(work, 'base'), current);
      const seed = seedOptions();
      const headEstate = normaliseEstate({
        ...seed,
        network: { ...seed.network, egress: 'nat-gateway' },
        stages: current.stages.map((s, i) => ({
          name: s.stage.name,
          ...(i === 0 ? { network: { cidr: '10.40.0.0/16', publicSubnets: ['10.40.0.0/24', '10.40.1.0/24'], privateSubnets: ['10.40.2.0/24', '10.40.3.0/24'] } } : {}),
        })),
      });
      const head = synthInProcess(join(work, 'head'), headEstate);
      const stageOf = new Map([...stackStagesOf(headEstate, 'head'), ...stackStagesOf(current, 'base')]);
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
          renderDiffMarkdown(d, { base: 'base', head: 'head' }, stageOf);
        }
      };
      const runs = Number(process.env.BENCH_RUNS ?? 5);
      const baselineValue = await medianMs(read, runs);
      const value = await medianMs(diff, runs);
      const resources = [...readAssemblyTemplates(head).values()].reduce((n, t) => n + Object.keys(t.Resources ?? {}).length, 0);
      figures.push({
        name: `template diff, ${current.stages.length}-stage estate vs staging re-addressed with NAT (${resources} resources, ${changed} changed): read + compare + render by stage`,
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
