/**
 * Runs a generated workflow job on this machine, step by step, in a fresh
 * clone of the committed tree: the `run:` steps exactly as the workflow
 * writes them (a `sudo` shim when already root and sudo is absent), checkout
 * as `git clone`, setup-node and artifact uploads skipped (Node is here;
 * uploads go to GitHub). Prints each step's time. By default the pipeline's
 * build job (the service checks); `platform.yml`'s job is the platform suite.
 *
 *   tsx test/bench/build-job-local.ts                              # pipeline.yml build
 *   tsx test/bench/build-job-local.ts platform.yml platform-suite  # the platform suite
 */
import { spawnSync } from 'child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { performance } from 'perf_hooks';
import { parse } from 'yaml';

const REPO_ROOT = resolve(__dirname, '..', '..');

export interface StepTiming {
  readonly id: string;
  readonly kind: 'run' | 'checkout' | 'skipped';
  readonly ms: number;
  readonly exitCode: number;
}

interface WorkflowStep {
  readonly id?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly env?: Record<string, string>;
}

interface WorkflowJob {
  readonly steps: WorkflowStep[];
  readonly env?: Record<string, string>;
}

/** A job of a committed workflow file. */
export function workflowJob(file: string, jobId: string): WorkflowJob {
  const workflow = parse(readFileSync(join(REPO_ROOT, '.github', 'workflows', file), 'utf8')) as { jobs: Record<string, WorkflowJob> };
  const job = workflow.jobs[jobId];
  if (!job) throw new Error(`.github/workflows/${file} has no job '${jobId}'; jobs: ${Object.keys(workflow.jobs).join(', ')}`);
  return job;
}

export interface JobRunOptions {
  readonly keep?: boolean;
  readonly log?: (line: string) => void;
  /** @default 'pipeline.yml' */
  readonly file?: string;
  /** @default 'build' */
  readonly job?: string;
}

export function runBuildJobLocally(options: JobRunOptions = {}): { timings: StepTiming[]; dir: string } {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const job = workflowJob(options.file ?? 'pipeline.yml', options.job ?? 'build');
  const jobEnv = job.env ?? {};
  const work = mkdtempSync(join(tmpdir(), 'slipway-build-job-'));
  const dir = join(work, 'repo');
  const shims = join(work, 'bin');
  mkdirSync(shims);
  if (process.getuid?.() === 0 && spawnSync('sh', ['-c', 'command -v sudo'], { stdio: 'ignore' }).status !== 0) {
    // Already root: run what follows `sudo [-E] [VAR=value...]` as is (sudo -E keeps the environment, as this does).
    writeFileSync(join(shims, 'sudo'), '#!/bin/sh\nwhile [ "${1#-}" != "$1" ]; do shift; done\nexec env "$@"\n');
    chmodSync(join(shims, 'sudo'), 0o755);
  }
  const env = { ...process.env, ...jobEnv, CI: 'true', PATH: `${shims}:${process.env.PATH}` };
  const timings: StepTiming[] = [];
  try {
    for (const step of job.steps) {
      const id = step.id ?? '(unnamed)';
      const start = performance.now();
      let exitCode = 0;
      let kind: StepTiming['kind'] = 'run';
      if (step.uses?.startsWith('actions/checkout@')) {
        kind = 'checkout';
        exitCode = spawnSync('git', ['clone', '--quiet', REPO_ROOT, dir], { stdio: 'inherit' }).status ?? 1;
      } else if (step.run) {
        exitCode = spawnSync('bash', ['-e', '-o', 'pipefail', '-c', step.run], { cwd: dir, env: { ...env, ...step.env }, stdio: 'inherit' }).status ?? 1;
      } else {
        kind = 'skipped';
      }
      const ms = performance.now() - start;
      timings.push({ id, kind, ms, exitCode });
      log(`${id}: ${kind} ${(ms / 1000).toFixed(1)} s exit ${exitCode}`);
      // As on GitHub: a failed step ends the job.
      if (exitCode !== 0) break;
    }
  } finally {
    if (!options.keep) rmSync(work, { recursive: true, force: true });
  }
  return { timings, dir };
}

if (require.main === module) {
  const [file, job] = process.argv.slice(2);
  const { timings } = runBuildJobLocally({ file, job });
  const total = timings.reduce((s, t) => s + t.ms, 0);
  const failed = timings.find((t) => t.exitCode !== 0);
  process.stdout.write(`${file ?? 'pipeline.yml'} ${job ?? 'build'} job: ${(total / 1000).toFixed(1)} s${failed ? `, stopped at '${failed.id}' (exit ${failed.exitCode})` : ', every step passed'}\n`);
  process.exitCode = failed ? 1 : 0;
}
