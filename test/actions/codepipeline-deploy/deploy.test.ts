import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { S3Client } from '@aws-sdk/client-s3';
import { Answer, EXECUTION_ID, FakePipeline, failedBuild, throttling } from './fake-pipeline';
import { sessionAdvice } from '../../../actions/codepipeline-deploy/src/credentials';
import { DeployDeps, callsPerMinute, deploy } from '../../../actions/codepipeline-deploy/src/deploy';
import { DeployInputs } from '../../../actions/codepipeline-deploy/src/inputs';
import { RunContext, clientRequestToken, readRunContext } from '../../../actions/codepipeline-deploy/src/run-context';
import { ActionError } from '../../../actions/shared/errors';
import { ManualClock } from '../../../actions/shared/time';
import { TestRunner, testRunner } from '../support/runner';

const DEFAULTS: DeployInputs = {
  pipelineName: 'deploy',
  variables: [],
  wait: true,
  timeoutMinutes: 60,
  pollIntervalSeconds: 15,
  supersededIsSuccess: false,
  stopOnCancel: true,
  matrix: 'null',
};

const RUNNER_ENV = {
  GITHUB_RUN_ID: '1234',
  GITHUB_RUN_ATTEMPT: '2',
  GITHUB_REPOSITORY: 'o/r',
  GITHUB_WORKFLOW_REF: 'o/r/.github/workflows/pipeline.yml@refs/heads/main',
  GITHUB_JOB: 'deploy',
  GITHUB_ACTION: '__run',
  GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
};
const CONTEXT: RunContext = readRunContext(RUNNER_ENV);

interface Harness {
  readonly fake: FakePipeline;
  readonly t: TestRunner;
  readonly clock: ManualClock;
  readonly controller: AbortController;
  readonly deps: DeployDeps;
}

let open: Harness[] = [];

function harness(answers: Answer[], options: ConstructorParameters<typeof FakePipeline>[2] = {}): Harness {
  const clock = new ManualClock(1_700_000_000_000);
  const fake = new FakePipeline(clock, answers, options);
  const t = testRunner();
  const controller = new AbortController();
  const deps: DeployDeps = {
    codepipeline: new CodePipelineClient({ region: 'eu-west-1' }),
    s3: new S3Client({ region: 'eu-west-1' }),
    runner: t.runner,
    region: 'eu-west-1',
    context: CONTEXT,
    signal: controller.signal,
    clock,
    sleep: clock.sleep,
    random: () => 0.5,
  };
  const h = { fake, t, clock, controller, deps };
  open.push(h);
  return h;
}

afterEach(() => {
  for (const h of open) {
    h.fake.restore();
    h.t.cleanup();
  }
  open = [];
});

async function failure(promise: Promise<unknown>): Promise<ActionError> {
  const e = await promise.then(() => undefined, (error: unknown) => error);
  if (!(e instanceof ActionError)) throw new Error(`expected an ActionError, got ${String(e)}`);
  return e;
}

describe('deploy: success', () => {
  test('starts once with a run-derived token, follows only its execution, and reports outputs and summary', async () => {
    const h = harness(['InProgress', 'InProgress', 'Succeeded']);
    h.fake.actions = [{ pipelineExecutionId: EXECUTION_ID, actionExecutionId: 'a1', stageName: 'Deploy', actionName: 'CloudFormation', status: 'Succeeded', output: { executionResult: { externalExecutionUrl: 'https://console.aws.amazon.com/cfn' } } }];
    const result = await deploy({ ...DEFAULTS, variables: [{ name: 'IMAGE_TAG', value: 'abc123' }] }, h.deps);

    expect(result).toEqual({ executionId: EXECUTION_ID, status: 'Succeeded' });
    const start = h.fake.calls.find((c) => c.command === 'Start')!;
    const variables = [{ name: 'IMAGE_TAG', value: 'abc123' }];
    expect(start.input).toEqual({ name: 'deploy', clientRequestToken: clientRequestToken(CONTEXT, { ...DEFAULTS, variables }), variables });
    expect(start.input.clientRequestToken).toMatch(/^gh-1234-[0-9a-f]{40}$/);
    for (const c of h.fake.calls.filter((x) => x.command === 'Get')) expect(c.input).toEqual({ pipelineName: 'deploy', pipelineExecutionId: EXECUTION_ID });
    for (const c of h.fake.calls.filter((x) => x.command === 'List')) expect(c.input.filter).toEqual({ pipelineExecutionId: EXECUTION_ID });
    expect(h.fake.names()).toEqual(['Start', 'Get', 'List', 'Get', 'List', 'Get', 'List']);

    const outputs = h.t.outputs();
    expect(outputs['execution-id']).toBe(EXECUTION_ID);
    expect(outputs.status).toBe('Succeeded');
    expect(outputs['execution-url']).toBe(`https://eu-west-1.console.aws.amazon.com/codesuite/codepipeline/pipelines/deploy/executions/${EXECUTION_ID}/timeline?region=eu-west-1`);
    expect(h.t.state()).toEqual({ 'execution-id': EXECUTION_ID, 'pipeline-name': 'deploy', 'settled': 'true' });
    expect(h.t.log()).toContain('Deploy › CloudFormation: Succeeded (https://console.aws.amazon.com/cfn)');
    expect(h.t.log()).toContain(`execution ${EXECUTION_ID}: InProgress → Succeeded`);
    expect(h.t.summary()).toContain('### CodePipeline deploy: Succeeded');
    expect(h.t.summary()).toContain('| Deploy | CloudFormation | Succeeded | [details](https://console.aws.amazon.com/cfn) |');
    expect(h.t.summary()).toContain('[this workflow run](https://github.com/o/r/actions/runs/1234/attempts/2)');
  });

  test('two matrix legs of one job get distinct tokens; a re-run attempt of the same leg repeats its token', () => {
    const leg = (matrix: string, env: Record<string, string> = {}): string =>
      clientRequestToken(readRunContext({ ...RUNNER_ENV, ...env }), { ...DEFAULTS, matrix });
    const euWest = leg('{"region":"eu-west-1","tier":"web"}');
    const usEast = leg('{"region":"us-east-1","tier":"web"}');
    expect(euWest).not.toBe(usEast);
    // The runner's toJSON(matrix) may order keys and indent differently between attempts: same leg, same token.
    expect(leg('{\n  "tier": "web",\n  "region": "eu-west-1"\n}', { GITHUB_RUN_ATTEMPT: '3' })).toBe(euWest);
    expect(leg('null', { GITHUB_RUN_ATTEMPT: '1' })).toBe(leg('null', { GITHUB_RUN_ATTEMPT: '2' }));
    for (const token of [euWest, usEast]) expect(token).toMatch(/^[A-Za-z0-9-]{1,128}$/);
  });

  test('the token differs for every other request in the run: caller workflow, job, step, pipeline, commit, release variables', () => {
    const token = (env: Record<string, string>, request: Partial<DeployInputs> = {}): string =>
      clientRequestToken(readRunContext({ ...RUNNER_ENV, ...env }), { ...DEFAULTS, ...request });
    const base = token({});
    const others = [
      token({ GITHUB_WORKFLOW_REF: 'o/r/.github/workflows/hotfix.yml@refs/heads/main' }),
      token({ GITHUB_JOB: 'deploy-eu' }),
      token({ GITHUB_ACTION: 'deploy-second' }),
      token({ GITHUB_RUN_ID: '1235' }),
      token({ GITHUB_SHA: 'f'.repeat(40) }),
      token({}, { pipelineName: 'other' }),
      token({}, { variables: [{ name: 'IMAGE_URI', value: 'r/flask-app:abc' }] }),
      token({}, { source: { file: 'a.zip', bucket: 'b', key: 'release-2.zip' } }),
    ];
    expect(new Set([base, ...others]).size).toBe(others.length + 1);
    // Variable order is not a different release.
    const ab = [{ name: 'A', value: '1' }, { name: 'B', value: '2' }];
    expect(token({}, { variables: ab })).toBe(token({}, { variables: [...ab].reverse() }));
  });

  test('wait: false returns once started and leaves nothing for the post step', async () => {
    const h = harness(['InProgress']);
    await expect(deploy({ ...DEFAULTS, wait: false }, h.deps)).resolves.toEqual({ executionId: EXECUTION_ID, status: 'InProgress' });
    expect(h.fake.names()).toEqual(['Start']);
    expect(h.t.outputs().status).toBe('InProgress');
    expect(h.t.state().settled).toBe('true');
  });

  test('Superseded counts as success only when superseded-is-success', async () => {
    const h = harness(['Superseded']);
    await expect(deploy({ ...DEFAULTS, supersededIsSuccess: true }, h.deps)).resolves.toEqual({ executionId: EXECUTION_ID, status: 'Superseded' });
    expect(h.t.summary()).toContain('superseded-is-success is true');
  });
});

describe('deploy: failures name what was seen', () => {
  test('Failed names the failed action and its error', async () => {
    const h = harness(['InProgress', 'Failed']);
    h.fake.actions = failedBuild();
    const e = await failure(deploy(DEFAULTS, h.deps));
    expect(e.message).toBe(`pipeline 'deploy' execution ${EXECUTION_ID} ended Failed: it failed: Build failed. Build › CodeBuild failed: Build terminated with state: FAILED`);
    expect(h.t.outputs().status).toBe('Failed');
    expect(h.t.summary()).toContain('| Build | CodeBuild | Failed | [Build terminated with state: FAILED](https://console.aws.amazon.com/codebuild/x) |');
    expect(h.fake.names()).not.toContain('Stop');
  });

  test.each([
    ['Stopped', 'it was stopped'],
    ['Cancelled', 'it was cancelled (the pipeline definition changed while it waited)'],
    ['Superseded', "it was superseded by a newer execution (set 'superseded-is-success: true' to accept that)"],
    ['Exploded', "CodePipeline reported status 'Exploded', which this action does not know, so it fails closed"],
  ])('%s fails the job', async (status, reason) => {
    const h = harness([status]);
    const e = await failure(deploy(DEFAULTS, h.deps));
    expect(e.message).toBe(`pipeline 'deploy' execution ${EXECUTION_ID} ended ${status}: ${reason}`);
  });

  test('Stopping keeps waiting for Stopped, then fails', async () => {
    const h = harness(['InProgress', 'Stopping', 'Stopping', 'Stopped']);
    const e = await failure(deploy(DEFAULTS, h.deps));
    expect(e.message).toContain('ended Stopped: it was stopped');
    expect(h.fake.names().filter((n) => n === 'Get')).toHaveLength(4);
    expect(h.t.log()).toContain('Stopping → Stopped');
  });

  test('a missing execution or status fails closed', async () => {
    const h = harness([undefined]);
    expect((await failure(deploy(DEFAULTS, h.deps))).message).toContain('ended Unknown: GetPipelineExecution returned no pipelineExecution');
  });

  test('a non-throttling error (AccessDenied) ends the wait at once', async () => {
    const denied = Object.assign(new Error('not authorized to perform codepipeline:GetPipelineExecution'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } });
    const h = harness([denied]);
    expect((await failure(deploy(DEFAULTS, h.deps))).message).toBe(
      `could not follow pipeline 'deploy' execution ${EXECUTION_ID}, which was left running (follow it at ${h.t.outputs()['execution-url']}): `
      + 'CodePipeline GetPipelineExecution failed: AccessDeniedException: not authorized to perform codepipeline:GetPipelineExecution (HTTP 400)',
    );
    // Settled: losing sight of a deploy is no reason for the post step to stop it.
    expect(h.t.state().settled).toBe('true');
    expect(h.t.summary()).toContain('it was left running');
    expect(h.fake.names()).toEqual(['Start', 'Get']);
  });

  test('a start that returns no execution id fails closed', async () => {
    const h = harness(['Succeeded']);
    h.fake.codepipeline.on((await import('@aws-sdk/client-codepipeline')).StartPipelineExecutionCommand).resolves({});
    expect((await failure(deploy(DEFAULTS, h.deps))).message).toBe("StartPipelineExecution for 'deploy' returned no pipelineExecutionId");
  });
});

describe('deploy: throttling, timeout and cancellation', () => {
  test('throttling backs off and polling continues to the result', async () => {
    const h = harness(['InProgress', throttling(), throttling(), 'Succeeded']);
    await expect(deploy(DEFAULTS, h.deps)).resolves.toMatchObject({ status: 'Succeeded' });
    expect(h.t.log()).toContain('CodePipeline is throttling us; waiting');
    // A throttled call is repeated (the turn moves on only after a success), so the throttles are in a row:
    // 15 s + 0.5 × min(120 s, 30 s), then 15 s + 0.5 × min(120 s, 60 s).
    expect(h.clock.sleeps.filter((ms) => ms > 15_000)).toEqual([30_000, 45_000]);
    expect(h.fake.names()).toEqual(['Start', 'Get', 'List', 'Get', 'Get', 'Get', 'List']);
  });

  test('a passing CodePipeline server error while following is ridden out; a client error still ends the wait at once', async () => {
    const internal = (): Error => Object.assign(new Error('Internal service error'), { name: 'InternalServerException', $fault: 'server', $metadata: { httpStatusCode: 500 } });
    const h = harness(['InProgress', internal(), internal(), 'Succeeded']);
    expect(await deploy(DEFAULTS, h.deps)).toEqual({ executionId: EXECUTION_ID, status: 'Succeeded' });
    expect(h.t.log()).toContain('CodePipeline GetPipelineExecution failed: InternalServerException: Internal service error (HTTP 500); retry 1 of 5');
    const lost = harness(['InProgress', ...Array.from({ length: 6 }, internal), 'Succeeded']);
    const e = await failure(deploy(DEFAULTS, lost.deps));
    expect(e.message).toContain(`could not follow pipeline 'deploy' execution ${EXECUTION_ID}, which was left running`);
  });

  test('timeout stops the execution (stop-on-cancel) and fails saying so', async () => {
    const h = harness(['InProgress']);
    const e = await failure(deploy({ ...DEFAULTS, timeoutMinutes: 2 }, h.deps));
    expect(e.message).toBe(
      `pipeline 'deploy' execution ${EXECUTION_ID}: it did not finish within 2m (timeout-minutes: 2); last status InProgress; asked CodePipeline to stop execution ${EXECUTION_ID} (in-progress actions finish first).`,
    );
    const stop = h.fake.calls.find((c) => c.command === 'Stop')!;
    expect(stop.input).toMatchObject({ pipelineName: 'deploy', pipelineExecutionId: EXECUTION_ID, abandon: false });
    expect(String(stop.input.reason)).toMatch(/^Stopped by GitHub Actions: it did not finish within 2m/);
    expect(String(stop.input.reason).length).toBeLessThanOrEqual(200);
    expect(h.t.state().settled).toBe('true');
  });

  test('a refused stop (throttled, then a server error) is retried within the cancel window', async () => {
    const h = harness(['InProgress']);
    const { StopPipelineExecutionCommand } = await import('@aws-sdk/client-codepipeline');
    const serverError = Object.assign(new Error('We encountered an internal error'), {
      name: 'InternalServerException', $fault: 'server', $metadata: { httpStatusCode: 500 },
    });
    h.fake.codepipeline.on(StopPipelineExecutionCommand)
      .rejectsOnce(throttling())
      .rejectsOnce(serverError)
      .resolves({ pipelineExecutionId: EXECUTION_ID });
    const e = await failure(deploy({ ...DEFAULTS, timeoutMinutes: 1 }, h.deps));
    expect(e.message).toContain(`asked CodePipeline to stop execution ${EXECUTION_ID}`);
    expect(h.fake.codepipeline.commandCalls(StopPipelineExecutionCommand)).toHaveLength(3);
    expect(h.t.state().settled).toBe('true');
  });

  test('a stop still refused when the cancel window ends is left to the post step, saying why', async () => {
    const h = harness(['InProgress']);
    const { StopPipelineExecutionCommand } = await import('@aws-sdk/client-codepipeline');
    h.fake.codepipeline.on(StopPipelineExecutionCommand).rejects(throttling());
    const e = await failure(deploy({ ...DEFAULTS, timeoutMinutes: 1 }, h.deps));
    expect(e.message).toMatch(/stopping execution .* failed: ThrottlingException: Rate exceeded/);
    const stops = h.fake.codepipeline.commandCalls(StopPipelineExecutionCommand).length;
    // 250 ms doubling within 6 s: 250 + 500 + 1000 + 2000 + 2250 (cut at the window).
    expect(stops).toBe(6);
    expect(h.t.state().settled).toBeUndefined();
  });

  test('timeout with stop-on-cancel false leaves the execution running and still fails', async () => {
    const h = harness(['InProgress']);
    const e = await failure(deploy({ ...DEFAULTS, timeoutMinutes: 1, stopOnCancel: false }, h.deps));
    expect(e.message).toContain('left it running because stop-on-cancel is false');
    expect(h.fake.names()).not.toContain('Stop');
  });

  test('cancellation (SIGINT) stops our execution at once and fails', async () => {
    const h = harness(['InProgress']);
    let gets = 0;
    h.fake.codepipeline.on((await import('@aws-sdk/client-codepipeline')).GetPipelineExecutionCommand).callsFake(() => {
      if (++gets === 2) h.controller.abort();
      return { pipelineExecution: { status: 'InProgress' } };
    });
    const e = await failure(deploy(DEFAULTS, h.deps));
    expect(e.message).toContain('the workflow run was cancelled; asked CodePipeline to stop execution');
    expect(h.fake.names().at(-1)).toBe('Stop');
    expect(h.t.state().settled).toBe('true');
  });

  test('credentials expiring mid-wait: not "lost sight" but their own message, naming the execution and what to raise', async () => {
    const start = 1_700_000_000_000;
    const h = harness(['InProgress'], { credentialsExpireAt: start + 30 * 60_000 });
    const e = await failure(deploy(DEFAULTS, h.deps));
    const url = `https://eu-west-1.console.aws.amazon.com/codesuite/codepipeline/pipelines/deploy/executions/${EXECUTION_ID}/timeline?region=eu-west-1`;
    expect(e.message).toBe(
      `the AWS credentials expired after 30m while following execution ${EXECUTION_ID} of pipeline 'deploy' (last status InProgress). `
      + `It may still be running and cannot be stopped with these credentials: follow or stop it at ${url}. `
      + "To wait this long, raise the role's MaxSessionDuration and configure-aws-credentials 'role-duration-seconds' above 3900 (timeout-minutes 60 × 60 + 300 s to stop the execution).",
    );
    expect(e.message).not.toContain('could not follow');
    // A stop with expired credentials cannot work: none is sent, and the post step is not left to try.
    expect(h.fake.names()).not.toContain('Stop');
    expect(h.t.state().settled).toBe('true');
    expect(h.t.outputs()).toMatchObject({ 'execution-id': EXECUTION_ID, 'status': 'InProgress' });
    expect(h.t.summary()).toContain('the AWS credentials expired after 30m');
  });

  test('credentials still valid at the timeout stop the execution as usual; a cancel after they expired names it instead', async () => {
    const start = 1_700_000_000_000;
    const usable = harness(['InProgress'], { credentialsExpireAt: start + 24 * 3600_000 });
    await failure(deploy({ ...DEFAULTS, timeoutMinutes: 10 }, usable.deps));
    expect(usable.fake.names()).toContain('Stop');
    expect(usable.fake.calls.find((c) => c.command === 'Stop')!.input).toMatchObject({ pipelineExecutionId: EXECUTION_ID, abandon: false });

    // The run is cancelled during the sleep in which the session ran out: the stop is the first call to meet the expiry.
    const h = harness(['InProgress'], { credentialsExpireAt: start + 20_000 });
    const sleep = h.deps.sleep;
    const e = await failure(deploy(DEFAULTS, {
      ...h.deps,
      sleep: async (ms, signal) => {
        await sleep(ms, signal);
        if (h.clock.now() >= start + 20_000) h.controller.abort();
      },
    }));
    expect(h.fake.names()).toEqual(['Start', 'Get', 'Stop']);
    expect(e.message).toContain(`execution ${EXECUTION_ID} could not be stopped: the AWS credentials have expired (ExpiredTokenException); stop it in the CodePipeline console`);
    expect(e.message).toContain(`(follow it at https://eu-west-1.console.aws.amazon.com/codesuite/codepipeline/pipelines/deploy/executions/${EXECUTION_ID}/`);
  });

  test('a wait longer than IAM allows a session says to lower timeout-minutes', () => {
    expect(sessionAdvice(60)).toContain('above 3900');
    expect(sessionAdvice(720)).toContain("more than IAM's 43200 s maximum, so lower timeout-minutes to at most 715");
  });

  test('a stop CodePipeline refuses leaves the post step to try again', async () => {
    const h = harness(['InProgress']);
    const { StopPipelineExecutionCommand } = await import('@aws-sdk/client-codepipeline');
    h.fake.codepipeline.on(StopPipelineExecutionCommand).rejects(Object.assign(new Error('boom'), { name: 'InternalFailure' }));
    const e = await failure(deploy({ ...DEFAULTS, timeoutMinutes: 1 }, h.deps));
    expect(e.message).toContain('stopping execution 0f1e2d3c-aaaa-bbbb-cccc-000000000001 failed: InternalFailure: boom');
    expect(h.t.state().settled).toBeUndefined();
  });
});

describe('deploy: S3 source pinned to the uploaded version', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'slipway-source-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const s3Source = (name: string, bucket: string, key: string): unknown => ({
    name,
    actionTypeId: { category: 'Source', owner: 'AWS', provider: 'S3', version: '1' },
    configuration: { S3Bucket: bucket, S3ObjectKey: key },
  });

  test('uploads, finds the S3 source action and pins the execution to the object version', async () => {
    const file = join(dir, 'source.zip');
    writeFileSync(file, 'zip bytes');
    const h = harness(['Succeeded'], { versionId: 'v-42', pipelineSources: [s3Source('AppSource', 'artifacts', 'app/source.zip')] });
    await deploy({ ...DEFAULTS, source: { file, bucket: 'artifacts', key: 'app/source.zip' } }, h.deps);
    expect(h.fake.names().slice(0, 3)).toEqual(['PutObject', 'GetPipeline', 'Start']);
    expect(h.fake.calls[0].input).toMatchObject({ Bucket: 'artifacts', Key: 'app/source.zip', ContentLength: 9 });
    expect(h.fake.calls[2].input.sourceRevisions).toEqual([{ actionName: 'AppSource', revisionType: 'S3_OBJECT_VERSION_ID', revisionValue: 'v-42' }]);
  });

  test('an unversioned bucket is an error before the pipeline starts', async () => {
    const file = join(dir, 'source.zip');
    writeFileSync(file, 'x');
    const h = harness(['Succeeded'], { versionId: undefined });
    const e = await failure(deploy({ ...DEFAULTS, source: { file, bucket: 'artifacts', key: 'k' } }, h.deps));
    expect(e.message).toContain("the bucket is not versioned. CodePipeline S3 sources need versioning; enable it on 'artifacts'.");
    expect(h.fake.names()).toEqual(['PutObject']);
  });

  test('no S3 source action reading that object is an error listing the source actions', async () => {
    const file = join(dir, 'source.zip');
    writeFileSync(file, 'x');
    const h = harness(['Succeeded'], { versionId: 'v1', pipelineSources: [s3Source('Other', 'artifacts', 'other.zip')] });
    const e = await failure(deploy({ ...DEFAULTS, source: { file, bucket: 'artifacts', key: 'app.zip' } }, h.deps));
    expect(e.message).toBe(
      "pipeline 'deploy' has no S3 source action reading s3://artifacts/app.zip, so the upload cannot be pinned; its source actions are: Other (S3 s3://artifacts/other.zip). Set source-bucket and source-key to what the pipeline reads.",
    );
    expect(h.fake.names()).not.toContain('Start');
  });

  test('a missing source file is an error before any call', async () => {
    const h = harness(['Succeeded']);
    const e = await failure(deploy({ ...DEFAULTS, source: { file: join(dir, 'nope.zip'), bucket: 'b', key: 'k' } }, h.deps));
    expect(e.message).toMatch(/^input 'source-file' names '.*nope\.zip', which cannot be read: ENOENT/);
    expect(h.fake.calls).toEqual([]);
  });
});

describe('deploy: API call rate', () => {
  test('at default settings, never more than 4 API calls in any minute — upload, start, polling and the final look included', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'slipway-rate-')), 'source.zip');
    writeFileSync(file, 'x');
    // 40 minutes in progress (160 status/progress polls), then success.
    const answers: Answer[] = [...Array<Answer>(80).fill('InProgress'), 'Succeeded'];
    const h = harness(answers, {
      versionId: 'v1',
      pipelineSources: [{ name: 'S', actionTypeId: { category: 'Source', owner: 'AWS', provider: 'S3', version: '1' }, configuration: { S3Bucket: 'b', S3ObjectKey: 'k' } }],
    });
    await deploy({ ...DEFAULTS, source: { file, bucket: 'b', key: 'k' } }, h.deps);
    expect(h.fake.calls.length).toBeGreaterThan(150);
    expect(h.fake.peakCallsPerMinute()).toBe(4);
    rmSync(join(file, '..'), { recursive: true, force: true });
  });

  test('throttling bursts and a short poll interval never push it past the budget either', async () => {
    const answers: Answer[] = [];
    for (let i = 0; i < 30; i++) answers.push('InProgress', throttling(), throttling());
    answers.push('Succeeded');
    const h = harness(answers);
    await deploy({ ...DEFAULTS, pollIntervalSeconds: 15 }, { ...h.deps, random: () => 0 });
    expect(h.fake.peakCallsPerMinute()).toBeLessThanOrEqual(4);
    const fast = harness(['InProgress', 'InProgress', 'InProgress', 'Succeeded']);
    await deploy({ ...DEFAULTS, pollIntervalSeconds: 5 }, fast.deps);
    expect(fast.fake.peakCallsPerMinute()).toBeLessThanOrEqual(12);
  });

  test('the budget follows the interval and never drops below 4 a minute', () => {
    expect(callsPerMinute(15)).toBe(4);
    expect(callsPerMinute(60)).toBe(4);
    expect(callsPerMinute(5)).toBe(12);
  });
});
