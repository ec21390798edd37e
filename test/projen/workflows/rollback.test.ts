/**
 * rollback.yml: a person picks a stage and an earlier pipeline run; the workflow checks the run against the
 * GitHub REST API (a local server speaking the documented endpoints stands in for api.github.com), then runs
 * that stage's own deploy job on that run's assembly and manifest.
 */
import { spawn } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { IncomingMessage, ServerResponse, createServer } from 'http';
import { AddressInfo } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';
import { actionlint } from './actionlint';
import { Job, ROLLBACK_PATH, TWO_STAGES, graphOf, synthWorkflows } from './synth';
import { RELEASE_RETENTION_DAYS } from '../../../src/projen/workflows';

const { pipeline, rollback, rollbackText } = synthWorkflows(undefined, undefined, TWO_STAGES);
// Each test starts bash (and curl, jq) several times; on a loaded 2-core machine that outlasts jest's 5 s.
jest.setTimeout(30_000);
const wf = rollback!;

function step(job: Job, id: string) {
  const found = job.steps.find((s) => s.id === id);
  if (!found) throw new Error(`no step '${id}': ${job.steps.map((s) => s.id).join(', ')}`);
  return found;
}

describe('rollback.yml', () => {
  test('actionlint reports nothing', async () => {
    expect(await actionlint(rollbackText!, ROLLBACK_PATH)).toEqual([]);
  });

  test('run by hand with the stage (a choice of the stages) and the earlier run\'s id', () => {
    expect(wf.on).toEqual({
      workflow_dispatch: {
        inputs: {
          stage: { description: 'The stage to roll back', type: 'choice', options: ['staging', 'production'], required: true, default: 'staging' },
          run_id: { description: expect.stringContaining(`kept ${RELEASE_RETENTION_DAYS} days`), type: 'string', required: true },
        },
      },
    });
    expect(wf['run-name']).toBe('rollback ${{ inputs.stage }} to run ${{ inputs.run_id }}');
    expect(wf.permissions).toEqual({ contents: 'read' });
  });

  test('verify first; then only the chosen stage\'s deploy and host configuration, in its Environment and queue', () => {
    expect(graphOf(wf)).toEqual({
      'verify': [],
      'deploy-staging': ['verify'],
      'configure-hosts-staging': ['deploy-staging'],
      'deploy-production': ['verify'],
      'configure-hosts-production': ['deploy-production'],
    });
    for (const stage of ['staging', 'production']) {
      for (const id of [`deploy-${stage}`, `configure-hosts-${stage}`]) {
        expect([id, wf.jobs[id].if]).toEqual([id, `(github.ref == 'refs/heads/main') && inputs.stage == '${stage}'`]);
        expect([id, wf.jobs[id].environment!.name, wf.jobs[id].concurrency]).toEqual([id, stage, pipeline.jobs[id].concurrency]);
      }
    }
    expect(wf.jobs.verify.permissions).toEqual({ contents: 'read', actions: 'read' });
  });

  test('the deploy job is the pipeline\'s, reading the earlier run\'s artifacts (run-id, github-token, actions: read)', () => {
    for (const id of ['deploy-staging', 'deploy-production']) {
      const back = wf.jobs[id];
      const forward = pipeline.jobs[id];
      expect(back.steps.map((s) => s.id)).toEqual(forward.steps.map((s) => s.id));
      expect(back.permissions).toEqual({ ...forward.permissions, actions: 'read' });
      for (const name of ['cloud-assembly', 'release-manifest']) {
        expect(step(back, `download-${name}`).with).toEqual({ ...step(forward, `download-${name}`).with, 'run-id': '${{ inputs.run_id }}', 'github-token': '${{ github.token }}' });
      }
      expect(step(back, 'release').run).toBe(step(forward, 'release').run);
      expect(step(back, 'release').env).toEqual({ ...step(forward, 'release').env, SOURCE_RUN: '${{ inputs.run_id }}' });
      expect(step(back, 'deploy').with).toEqual(step(forward, 'deploy').with);
      expect(step(back, 'aws-credentials').with).toEqual(step(forward, 'aws-credentials').with);
    }
    // The inputs reach the scripts through env only.
    for (const job of Object.values(wf.jobs)) for (const s of job.steps) expect(s.run ?? '').not.toContain('${{');
  });

  test('snapshot', () => {
    expect(rollbackText).toMatchSnapshot();
  });

  test('without the deploy stage there is no rollback workflow', () => {
    expect(synthWorkflows({ stages: { deploy: false } }).rollback).toBeUndefined();
  });
});

interface Artifact { name: string; expired: boolean; expires_at: string; created_at: string }

describe('the verify step, run by bash against a local GitHub REST API', () => {
  const runs: Record<string, { path: string; head_branch: string; head_sha: string }> = {
    4242: { path: '.github/workflows/pipeline.yml', head_branch: 'main', head_sha: 'c0ffee0123456789abcdef0123456789abcdef01' },
    5000: { path: '.github/workflows/pull-request.yml', head_branch: 'feature', head_sha: 'a'.repeat(40) },
    6000: { path: '.github/workflows/pipeline.yml@refs/heads/feature', head_branch: 'feature', head_sha: 'b'.repeat(40) },
  };
  const live = (name: string): Artifact => ({ name, expired: false, created_at: '2026-11-01T10:00:00Z', expires_at: '2027-01-30T10:00:00Z' });
  let artifacts: Record<string, Artifact[]> = {};
  let jobs: Record<string, { name: string; conclusion: string | null }[]> = {};
  const requests: string[] = [];
  let api = '';
  let dir: string;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    requests.push(`${req.method} ${req.url} ${req.headers.authorization}`);
    const url = new URL(req.url!, 'http://localhost');
    const run = /^\/repos\/slipway-dev\/flask-app\/actions\/runs\/(\d+)$/.exec(url.pathname);
    const list = /^\/repos\/slipway-dev\/flask-app\/actions\/runs\/(\d+)\/artifacts$/.exec(url.pathname);
    const runJobs = /^\/repos\/slipway-dev\/flask-app\/actions\/runs\/(\d+)\/jobs$/.exec(url.pathname);
    const reply = (status: number, body: unknown) => { res.writeHead(status, { 'content-type': 'application/json' }); res.end(JSON.stringify(body)); };
    if (req.headers.authorization !== 'Bearer test-token') return reply(401, { message: 'Bad credentials' });
    if (run && runs[run[1]]) return reply(200, { id: Number(run[1]), ...runs[run[1]] });
    if (list && runs[list[1]]) {
      const found = (artifacts[list[1]] ?? []).filter((a) => a.name === url.searchParams.get('name'));
      return reply(200, { total_count: found.length, artifacts: found });
    }
    if (runJobs && runs[runJobs[1]]) return reply(200, { total_count: (jobs[runJobs[1]] ?? []).length, jobs: jobs[runJobs[1]] ?? [] });
    return reply(404, { message: 'Not Found' });
  });

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    dir = mkdtempSync(join(tmpdir(), 'slipway-rollback-'));
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    artifacts = { 4242: [live('cloud-assembly'), live('release-manifest')] };
    jobs = { 4242: [{ name: 'release', conclusion: 'success' }, { name: 'deploy staging', conclusion: 'success' }, { name: 'deploy production', conclusion: 'failure' }] };
    requests.length = 0;
    writeFileSync(join(dir, 'summary.md'), '');
  });

  // Asynchronous: the API server answers from this process while bash runs.
  function verify(env: Record<string, string>): Promise<{ status: number | null; stdout: string }> {
    const s = step(wf.jobs.verify, 'verify');
    const file = join(dir, 'verify.sh');
    writeFileSync(file, s.run!);
    return new Promise((resolve) => {
      const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', file], {
        env: {
          PATH: process.env.PATH,
          GITHUB_API_URL: api,
          GITHUB_REPOSITORY: 'slipway-dev/flask-app',
          GITHUB_REF: 'refs/heads/main',
          RUNNER_TEMP: dir,
          GITHUB_STEP_SUMMARY: join(dir, 'summary.md'),
          GH_TOKEN: 'test-token',
          STAGE: 'production',
          ...env,
        },
      });
      let stdout = '';
      child.stdout.on('data', (d) => { stdout += String(d); });
      child.on('close', (status) => resolve({ status, stdout }));
    });
  }

  test('a pipeline run from main whose release artifacts are kept passes, and the summary names it', async () => {
    const result = await verify({ RUN_ID: '4242' });
    expect([result.status, result.stdout.trim()]).toEqual([0, 'run 4242 (main, c0ffee012345) has its release artifacts; deploying it to production']);
    expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toBe('### Rolling production back to run 4242 (main, commit c0ffee012345)\n');
    expect(requests).toEqual([
      'GET /repos/slipway-dev/flask-app/actions/runs/4242 Bearer test-token',
      'GET /repos/slipway-dev/flask-app/actions/runs/4242/artifacts?name=cloud-assembly Bearer test-token',
      'GET /repos/slipway-dev/flask-app/actions/runs/4242/artifacts?name=release-manifest Bearer test-token',
      'GET /repos/slipway-dev/flask-app/actions/runs/4242/jobs?per_page=100 Bearer test-token',
    ]);
  });

  test('the first stage needs no earlier stage: the run\'s jobs are not asked for', async () => {
    expect((await verify({ RUN_ID: '4242', STAGE: 'staging' })).status).toBe(0);
    expect(requests.some((r) => r.includes('/jobs'))).toBe(false);
  });

  test('a later stage only takes a release the run deployed to the stage before it', async () => {
    jobs[4242] = [{ name: 'release', conclusion: 'success' }, { name: 'deploy staging', conclusion: 'failure' }];
    const failed = await verify({ RUN_ID: '4242' });
    expect(failed.status).toBe(1);
    expect(failed.stdout.trim()).toBe(
      '::error title=Not deployed to staging::run 4242 did not deploy to staging (deploy staging: failure); a release reaches production only after staging: ' +
        'roll staging back to it first, or pick a run that reached production',
    );
    jobs[4242] = [{ name: 'release', conclusion: 'success' }];
    expect((await verify({ RUN_ID: '4242' })).stdout).toContain('(deploy staging: none)');
  });

  test('an expired artifact fails naming the run, the expiry, the retention and what to do', async () => {
    artifacts[4242] = [live('cloud-assembly'), { ...live('release-manifest'), expired: true, expires_at: '2026-08-01T10:00:00Z' }];
    const result = await verify({ RUN_ID: '4242' });
    expect(result.status).toBe(1);
    expect(result.stdout.trim()).toBe(
      `::error title=Release artifact expired::artifact release-manifest of run 4242 expired at 2026-08-01T10:00:00Z: releases are kept ${RELEASE_RETENTION_DAYS} days ` +
        '(fewer if Settings → Actions → General → Artifact and log retention is shorter); pick a newer run, or revert the change on main and let the pipeline release it',
    );
  });

  test('a missing artifact fails naming the run and the artifact', async () => {
    artifacts[4242] = [live('release-manifest')];
    const result = await verify({ RUN_ID: '4242' });
    expect(result.status).toBe(1);
    expect(result.stdout.trim()).toBe('::error title=Release artifact missing::run 4242 has no artifact cloud-assembly: its release job did not finish; pick a run whose release job succeeded');
  });

  test.each([
    [{ RUN_ID: '777' }, '::error title=No such run::run 777 is not a workflow run of slipway-dev/flask-app: copy the run id of a pipeline run from its address'],
    [{ RUN_ID: '5000' }, '::error title=Not a pipeline run::run 5000 is a run of .github/workflows/pull-request.yml, not .github/workflows/pipeline.yml'],
    [{ RUN_ID: '6000' }, '::error title=Not a release::run 6000 ran on feature, not on a deploy branch (main): only those runs release'],
    [{ RUN_ID: '42; rm -rf /' }, "::error title=Not a run id::run_id '42; rm -rf /' is not a number"],
    [{ RUN_ID: '4242', GITHUB_REF: 'refs/heads/feature' }, "::error title=Not a deploy branch::run rollback.yml from main: each stage's deploy role trusts it only there; this run is on refs/heads/feature"],
    [{ RUN_ID: '4242', STAGE: 'qa' }, "::error title=Not a stage::'qa' is not a stage of flask-app; choose one of: staging, production"],
    [{ RUN_ID: '4242', GH_TOKEN: 'wrong' }, '::error title=GitHub API error::GET actions/runs/4242 answered 401: {"message":"Bad credentials"}'],
  ])('%j is refused, saying why', async (env, error) => {
    const result = await verify(env);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(error);
  });
});
