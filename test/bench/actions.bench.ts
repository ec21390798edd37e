/**
 * Our bundled actions against the same action written the ordinary way, all
 * measured in this run:
 *
 * - cold start: `node dist/index.js` from process start until its first API
 *   call (AWS, or GitHub for pr-comment) fails against a closed port on
 *   127.0.0.1 (AWS_MAX_ATTEMPTS=1) and the process exits with ::error::.
 *   Baseline: a program that does the same first call the way actions
 *   usually do, loading @actions/core (and @actions/github) and the full,
 *   unbundled SDK clients from node_modules. Goal (issue 17): ≤ 0.6×;
 * - peak memory of the same runs (/usr/bin/time, maximum resident set); goal ≤ 0.85×;
 * - every committed bundle's size against the 1.2 MB budget, and the cases'
 *   against their baseline program bundled the way ncc bundles such actions
 *   (CommonJS builds, no minification, no tree-shaking);
 * - what the toolkit costs: @actions/core alone, and with @actions/github's
 *   context and Octokit, bundled as our actions are;
 * - the bridge's API calls per minute against a naive bridge that polls status
 *   and progress every 15 s.
 * Absolute figures are printed alongside.
 */
import './esm-only-conditions';
import { spawnSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { AddressInfo, createServer } from 'net';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { performance } from 'perf_hooks';
import { pathToFileURL } from 'url';
import { build } from 'esbuild';
import { BenchFigure, BenchSuite, median } from './harness';
import { deploy } from '../../actions/codepipeline-deploy/src/deploy';
import { ManualClock } from '../../actions/shared/time';
import { bundleOptions } from '../../src/projen/action-bundles';
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
  {
    name: 'pr-comment',
    inputs: { 'body-file': 'BODY_FILE', 'marker': 'infra-diff', 'github-token': 'ghs_bench' },
    baselineSource: (url) => `
import * as core from '${url('@actions/core')}';
import * as github from '${url('@actions/github')}';
import { readFileSync } from 'fs';
try {
  const body = readFileSync(core.getInput('body-file', { required: true }), 'utf8');
  const octokit = github.getOctokit(core.getInput('github-token', { required: true }));
  const { owner, repo, number } = github.context.issue;
  await octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number: number, per_page: 100 });
  void body;
} catch (e) { core.setFailed(e.message); }
`,
  },
];

/** The budget every bundle is held to (issue 17). */
const BUNDLE_BUDGET_BYTES = 1_200_000;

/** ESM-only packages export an `import` condition only, so require.resolve cannot find them. */
const ESM_ENTRIES: Readonly<Record<string, string>> = {
  '@actions/core': 'node_modules/@actions/core/lib/core.js',
  '@actions/github': 'node_modules/@actions/github/lib/github.js',
};

/** The file URL of a package's entry, resolved from this repository's node_modules. */
function moduleUrl(pkg: string): string {
  const entry = ESM_ENTRIES[pkg] ? join(ROOT, ESM_ENTRIES[pkg]) : require.resolve(pkg, { paths: [ROOT] });
  return pathToFileURL(entry).href;
}

/** The toolkit alone, bundled as our actions are: bytes above an empty bundle. */
async function toolkitCost(dir: string): Promise<BenchFigure[]> {
  const programs = {
    'empty': 'process.exitCode = 0;',
    '@actions/core (our CoreRunner)': "import { CoreRunner } from './actions/shared/runner';\nnew CoreRunner().info('x');",
    '@actions/core + @actions/github (context, Octokit, pagination)': "import { CoreRunner } from './actions/shared/runner';\n"
      + "import { createGitHubClient, githubContext } from './actions/shared/github';\n"
      + "const c = createGitHubClient('t');\nvoid c.paginate(c.rest.issues.listComments, { ...githubContext.repo, issue_number: 1 }).then(() => new CoreRunner().info('x'));",
  };
  const bytes: Record<string, number> = {};
  for (const [name, contents] of Object.entries(programs)) {
    const outfile = join(dir, `toolkit-${Object.keys(bytes).length}.js`);
    const options = bundleOptions(ROOT, { name: 'bench', dir: 'bench', target: 'node24', entries: [] }, { source: '', bundle: '' }, dir);
    await build({ ...options, entryPoints: undefined, stdin: { contents, resolveDir: ROOT, sourcefile: 'toolkit.ts', loader: 'ts' }, outfile });
    bytes[name] = statSync(outfile).size;
  }
  // Against the budget, so the figure reads as the share of a bundle the toolkit takes.
  return Object.keys(programs).filter((n) => n !== 'empty').map((name) => ({
    name: `toolkit cost in a bundle (above an empty one): ${name}`,
    baseline: '1.2 MB bundle budget',
    baselineValue: BUNDLE_BUDGET_BYTES,
    value: bytes[name] - bytes.empty,
    unit: 'bytes',
  }));
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

function actionEnv(inputs: Readonly<Record<string, string>>, port: number, dir: string): NodeJS.ProcessEnv {
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
    GITHUB_REPOSITORY: 'bench/bench',
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: join(dir, 'event.json'),
    GITHUB_API_URL: `http://127.0.0.1:${port}`,
    NODE_NO_WARNINGS: '1',
  };
  writeFileSync(join(dir, 'event.json'), JSON.stringify({ pull_request: { number: 1, head: { repo: { full_name: 'bench/bench' } } }, repository: { full_name: 'bench/bench' } }));
  writeFileSync(join(dir, 'body.md'), '## bench');
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v === 'BODY_FILE' ? join(dir, 'body.md') : v;
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
      const built = await buildActionBundles(ROOT, join(dir, 'built'));
      for (const b of built) {
        figures.push({ name: `${b.path} size against the 1.2 MB budget`, baseline: '1.2 MB', baselineValue: BUNDLE_BUDGET_BYTES, value: b.bytes, unit: 'bytes', goal: 1 });
      }
      figures.push(...await toolkitCost(dir));
      for (const c of CASES) {
        const bundle = join(dir, 'built', 'actions', c.name, 'dist/index.js');
        const baseline = join(dir, `${c.name}-baseline.mjs`);
        writeFileSync(baseline, c.baselineSource(moduleUrl));
        const env = actionEnv(c.inputs, await closedPort(), dir);
        const m = measure(bundle, baseline, env, dir);
        const bytes = statSync(bundle).size;
        const baselineBytes = await nccStyleBundleBytes(c.baselineSource((pkg) => pkg), dir);
        const base = c.name === 'pr-comment' ? '@actions/core + @actions/github from node_modules' : '@actions/core + unbundled SDK from node_modules';
        figures.push(
          { name: `${c.name} cold start to first failed API call`, baseline: base, baselineValue: m.baseline.ms, value: m.ours.ms, unit: 'ms', goal: 0.6 },
          {
            name: `${c.name} cold start above bare node (node -e 0: ${m.bare.ms.toFixed(0)} ms)`,
            baseline: base,
            baselineValue: m.baseline.ms - m.bare.ms,
            value: m.ours.ms - m.bare.ms,
            unit: 'ms',
          },
          { name: `${c.name} peak memory`, baseline: base, baselineValue: m.baseline.mib, value: m.ours.mib, unit: 'MiB', goal: 0.85 },
          {
            name: `${c.name} peak memory above bare node (node -e 0: ${m.bare.mib.toFixed(1)} MiB)`,
            baseline: base,
            baselineValue: m.baseline.mib - m.bare.mib,
            value: m.ours.mib - m.bare.mib,
            unit: 'MiB',
          },
          { name: `${c.name} bundle size`, baseline: 'same program bundled ncc-style (CJS, unminified)', baselineValue: baselineBytes, value: bytes, unit: 'bytes' },
        );
        absolutes.push(
          `${c.name}: ${(bytes / 1e6).toFixed(2)} MB (budget 1.2), ${(m.ours.ms / 1000).toFixed(3)} s against ${(m.baseline.ms / 1000).toFixed(3)} s, ${m.ours.mib.toFixed(1)} MiB against ${m.baseline.mib.toFixed(1)} MiB;`
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
      process.stdout.write(`absolute:\n${absolutes.map((a) => `  ${a}`).join('\n')}\n`);
      return figures;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
