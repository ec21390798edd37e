/**
 * Our bundled actions against the same action written the ordinary way, all
 * measured in this run:
 *
 * - cold start: `node dist/index.js` from process start until its first API
 *   call fails against a closed port on 127.0.0.1 (AWS_MAX_ATTEMPTS=1) and the
 *   process exits with ::error::. Baseline: a program that does the same first
 *   call the way actions usually do, loading @actions/core and the full,
 *   unbundled SDK clients from node_modules (the brief's reference bundle,
 *   aws-actions/amazon-ecr-login, cannot be downloaded here);
 * - peak memory of the same runs (/usr/bin/time, maximum resident set);
 * - bundle size against that baseline program bundled the way ncc bundles
 *   such actions (CommonJS builds, no minification, no tree-shaking);
 * - the bridge's API calls per minute against a naive bridge that polls status
 *   and progress every 15 s.
 * The brief's absolute goals (< 1.2 MB, < 0.15 s, < 60 MiB against 2.4 MB,
 * 0.26 s, 84 MiB) are printed alongside.
 */
import { spawnSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { AddressInfo, createServer } from 'net';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { performance } from 'perf_hooks';
import { pathToFileURL } from 'url';
import { build } from 'esbuild';
import { BenchFigure, BenchSuite } from './harness';
import { deploy } from '../../actions/codepipeline-deploy/src/deploy';
import { ManualClock } from '../../actions/shared/time';
import { buildActionBundles } from '../../src/projen/bundle-actions';
import { Answer, FakePipeline } from '../actions/codepipeline-deploy/fake-pipeline';
import { testRunner } from '../actions/support/runner';

const ROOT = resolve(__dirname, '..', '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 7);

interface ActionCase {
  readonly name: string;
  readonly inputs: Readonly<Record<string, string>>;
  /** The same first call, written with @actions/core and unbundled SDK clients. */
  readonly baselineSource: (moduleUrl: (pkg: string) => string) => string;
}

const CASES: readonly ActionCase[] = [
  {
    name: 'codepipeline-deploy',
    inputs: { 'pipeline-name': 'bench-pipeline' },
    baselineSource: (url) => `
import * as core from '${url('@actions/core')}';
import cp from '${url('@aws-sdk/client-codepipeline')}';
import s3 from '${url('@aws-sdk/client-s3')}';
try {
  const name = core.getInput('pipeline-name', { required: true });
  void new s3.S3Client({});
  const client = new cp.CodePipelineClient({});
  await client.send(new cp.StartPipelineExecutionCommand({ name }));
} catch (e) { core.setFailed(e.message); }
`,
  },
  {
    name: 'ecr-image',
    inputs: { repository: 'bench-repo', builder: 'buildah' },
    baselineSource: (url) => `
import * as core from '${url('@actions/core')}';
import ecr from '${url('@aws-sdk/client-ecr')}';
try {
  core.getInput('repository', { required: true });
  const client = new ecr.ECRClient({});
  const token = await client.send(new ecr.GetAuthorizationTokenCommand({}));
  core.setSecret(token.authorizationData[0].authorizationToken);
} catch (e) { core.setFailed(e.message); }
`,
  },
];

/** The file URL of a package's entry, resolved from this repository's node_modules. */
function moduleUrl(pkg: string): string {
  // @actions/core v3 only exports an `import` condition, so require.resolve cannot find it.
  const entry = pkg === '@actions/core' ? join(ROOT, 'node_modules/@actions/core/lib/core.js') : require.resolve(pkg, { paths: [ROOT] });
  return pathToFileURL(entry).href;
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

function actionEnv(inputs: Readonly<Record<string, string>>, port: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'AKIDBENCH',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_MAX_ATTEMPTS: '1',
    AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`,
    AWS_EC2_METADATA_DISABLED: 'true',
    GITHUB_RUN_ID: '1',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    NODE_NO_WARNINGS: '1',
  };
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  return env;
}

interface Sample { readonly ms: number; readonly mib: number }

/** One run: wall ms until exit and peak RSS (MiB, /usr/bin/time). An action must have failed its first API call. */
function runOnce(args: readonly string[], env: NodeJS.ProcessEnv, rssFile: string, expectFailedCall: boolean): Sample {
  const start = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', '-o', rssFile, process.execPath, ...args], { env, encoding: 'utf8' });
  const ms = performance.now() - start;
  if (expectFailedCall && (r.status !== 1 || !/::error::.*ECONNREFUSED/.test(`${r.stdout}${r.stderr}`))) {
    throw new Error(`${args.join(' ')} should fail its first API call against the closed port; exit ${r.status}:\n${r.stdout}\n${r.stderr}`);
  }
  return { ms, mib: Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) / 1024 };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

interface Measured { readonly ours: Sample; readonly baseline: Sample; readonly bare: Sample }

/** Alternates ours, the baseline and bare `node -e 0` so load on a shared machine hits all three alike. */
function measure(ours: string, baseline: string, env: NodeJS.ProcessEnv, dir: string): Measured {
  const rss = join(dir, 'rss');
  const samples: Record<keyof Measured, Sample[]> = { ours: [], baseline: [], bare: [] };
  for (let i = 0; i <= RUNS; i++) {
    const o = runOnce([ours], env, rss, true);
    const b = runOnce([baseline], env, rss, true);
    const n = runOnce(['-e', '0'], env, rss, false);
    // The first round only warms the file cache.
    if (i === 0) continue;
    samples.ours.push(o);
    samples.baseline.push(b);
    samples.bare.push(n);
  }
  const pick = (k: keyof Measured): Sample => ({ ms: median(samples[k].map((x) => x.ms)), mib: median(samples[k].map((x) => x.mib)) });
  return { ours: pick('ours'), baseline: pick('baseline'), bare: pick('bare') };
}

/** The baseline program bundled as ncc would: CommonJS builds, not minified, not tree-shaken. */
async function nccStyleBundleBytes(source: string, dir: string): Promise<number> {
  const outfile = join(dir, 'ncc-style.js');
  await build({
    stdin: { contents: source, resolveDir: ROOT, sourcefile: 'baseline.mjs' },
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    mainFields: ['main'],
    minify: false,
    logLevel: 'error',
  });
  return statSync(outfile).size;
}

/** Peak API calls in any minute for a 40-minute execution at default settings. */
async function bridgeCallsPerMinute(): Promise<number> {
  const clock = new ManualClock(0);
  const fake = new FakePipeline(clock, [...Array<Answer>(80).fill('InProgress'), 'Succeeded']);
  const t = testRunner();
  try {
    await deploy(
      { pipelineName: 'p', variables: [], wait: true, timeoutMinutes: 60, pollIntervalSeconds: 15, supersededIsSuccess: false, stopOnCancel: true, matrix: 'null' },
      {
        codepipeline: new (await import('@aws-sdk/client-codepipeline')).CodePipelineClient({ region: 'eu-west-1' }),
        s3: new (await import('@aws-sdk/client-s3')).S3Client({ region: 'eu-west-1' }),
        runner: t.runner,
        region: 'eu-west-1',
        context: { runId: '1', runAttempt: '1', request: { repository: 'bench', workflowRef: '', job: 'bench', step: 'bench', sha: '' } },
        signal: new AbortController().signal,
        clock,
        sleep: clock.sleep,
        random: () => 0.5,
      },
    );
    return fake.peakCallsPerMinute();
  } finally {
    fake.restore();
    t.cleanup();
  }
}

export const suite: BenchSuite = {
  name: 'actions',
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'slipway-actions-bench-'));
    const figures: BenchFigure[] = [];
    const absolutes: string[] = [];
    try {
      // Fresh bundles of the current sources, built exactly as the committed ones, outside the working tree.
      await buildActionBundles(ROOT, join(dir, 'built'), CASES.map((c) => c.name));
      for (const c of CASES) {
        const bundle = join(dir, 'built', 'actions', c.name, 'dist/index.js');
        const baseline = join(dir, `${c.name}-baseline.mjs`);
        writeFileSync(baseline, c.baselineSource(moduleUrl));
        const env = actionEnv(c.inputs, await closedPort());
        const m = measure(bundle, baseline, env, dir);
        const bytes = statSync(bundle).size;
        const baselineBytes = await nccStyleBundleBytes(c.baselineSource((pkg) => pkg), dir);
        const base = '@actions/core + unbundled SDK from node_modules';
        figures.push(
          { name: `${c.name} cold start to first failed API call`, baseline: base, baselineValue: m.baseline.ms, value: m.ours.ms, unit: 'ms', goal: 0.15 / 0.26 },
          {
            name: `${c.name} cold start above bare node (node -e 0: ${m.bare.ms.toFixed(0)} ms)`,
            baseline: base,
            baselineValue: m.baseline.ms - m.bare.ms,
            value: m.ours.ms - m.bare.ms,
            unit: 'ms',
          },
          { name: `${c.name} peak memory`, baseline: base, baselineValue: m.baseline.mib, value: m.ours.mib, unit: 'MiB', goal: 60 / 84 },
          {
            name: `${c.name} peak memory above bare node (node -e 0: ${m.bare.mib.toFixed(1)} MiB)`,
            baseline: base,
            baselineValue: m.baseline.mib - m.bare.mib,
            value: m.ours.mib - m.bare.mib,
            unit: 'MiB',
          },
          { name: `${c.name} bundle size`, baseline: 'same program bundled ncc-style (CJS, unminified)', baselineValue: baselineBytes, value: bytes, unit: 'bytes', goal: 1.2 / 2.4 },
        );
        absolutes.push(
          `${c.name}: ${(bytes / 1e6).toFixed(2)} MB (goal < 1.2), ${(m.ours.ms / 1000).toFixed(3)} s (goal < 0.15), ${m.ours.mib.toFixed(1)} MiB (goal < 60);`
          + ` bare node here: ${(m.bare.ms / 1000).toFixed(3)} s, ${m.bare.mib.toFixed(1)} MiB`,
        );
      }
      figures.push({
        name: 'codepipeline-deploy peak API calls per minute (defaults, 40 min execution)',
        baseline: 'naive bridge: status + progress every 15 s',
        baselineValue: 8,
        value: await bridgeCallsPerMinute(),
        unit: 'calls/min',
        goal: 0.5,
      });
      process.stdout.write(`absolute (brief's reference: amazon-ecr-login 2.4 MB, 0.26 s, 84 MiB):\n${absolutes.map((a) => `  ${a}`).join('\n')}\n`);
      return figures;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
