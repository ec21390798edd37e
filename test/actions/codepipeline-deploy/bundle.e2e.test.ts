/**
 * The committed bundles, run as the runner runs them, against a local
 * CodePipeline endpoint reached through the SDK's AWS_ENDPOINT_URL support.
 */
import { join } from 'path';
import { AwsErrorReply, AwsJsonServer, startAwsJsonServer } from '../support/aws-json-server';
import { startGitHubApiServer } from '../support/github-api-server';
import { outputsTheRunnerWouldDrop, registeredMasks } from '../support/masks';
import { runBundle } from '../support/run-bundle';

const DIST = join(__dirname, '../../../actions/codepipeline-deploy/dist');
const ID = 'e2e00000-0000-0000-0000-000000000001';

/**
 * A pipeline that reports `statuses` in turn (the last one repeats). A start
 * with a clientRequestToken seen before answers the execution that token
 * started (idempotency); a new token starts a new execution.
 */
async function pipelineServer(statuses: string[], started = new Map<string, string>()): Promise<AwsJsonServer> {
  return startAwsJsonServer({
    StartPipelineExecution: (body) => {
      const token = String(body.clientRequestToken);
      if (!started.has(token)) started.set(token, started.size === 0 ? ID : `e2e00000-0000-0000-0000-${String(started.size + 1).padStart(12, '0')}`);
      return { pipelineExecutionId: started.get(token) };
    },
    GetPipelineExecution: () => ({ pipelineExecution: { pipelineExecutionId: ID, status: statuses.length > 1 ? statuses.shift() : statuses[0] } }),
    ListActionExecutions: () => ({
      actionExecutionDetails: [{ pipelineExecutionId: ID, actionExecutionId: 'a1', stageName: 'Deploy', actionName: 'Stack', status: 'InProgress' }],
    }),
    StopPipelineExecution: (body) => {
      if (body.pipelineExecutionId !== ID) throw new AwsErrorReply('PipelineExecutionNotFoundException', 'wrong execution');
      return { pipelineExecutionId: ID };
    },
  });
}

describe('codepipeline-deploy bundle', () => {
  let server: AwsJsonServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  test('a missing required input exits non-zero with ::error:: naming it', async () => {
    const run = await runBundle(join(DIST, 'index.js'));
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("::error::input 'pipeline-name' is required but was not set.");
  });

  test('starts, follows and succeeds through AWS_ENDPOINT_URL_CODEPIPELINE', async () => {
    server = await pipelineServer(['InProgress', 'Succeeded']);
    const run = await runBundle(join(DIST, 'index.js'), {
      inputs: { 'pipeline-name': 'deploy-flask-app', 'poll-interval-seconds': '1', 'variables': 'IMAGE_TAG=abc' },
      env: { AWS_ENDPOINT_URL_CODEPIPELINE: server.url },
    });
    expect(run.stdout).not.toContain('::error::');
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ 'execution-id': ID, 'status': 'Succeeded' });
    expect(server.calls.map((c) => c.operation)).toEqual(['StartPipelineExecution', 'GetPipelineExecution', 'ListActionExecutions', 'GetPipelineExecution', 'ListActionExecutions']);
    expect(server.calls[0].body).toMatchObject({ name: 'deploy-flask-app', variables: [{ name: 'IMAGE_TAG', value: 'abc' }] });
    expect(String(server.calls[0].body.clientRequestToken)).toMatch(/^gh-4242-[0-9a-f]{40}$/);
    expect(server.calls[0].authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDTESTTESTTEST\/\d{8}\/eu-west-1\/codepipeline\//);
    expect(run.summary).toContain('### CodePipeline deploy-flask-app: Succeeded');
    // Nothing this action reads is secret, so it masks nothing, and no output can be dropped by the runner's mask rule.
    expect(registeredMasks(run.stdout)).toEqual([]);
    expect(outputsTheRunnerWouldDrop(run.outputs, registeredMasks(run.stdout))).toEqual([]);
    expect(run.outputs['execution-url']).not.toContain('123456789012');
  });

  // Each spawns node bundles one after another: seconds under two busy jest workers, not jest's default 5.
  test('with an environment, the bundle records the GitHub Deployment (Octokit loaded on demand) and its statuses', async () => {
    server = await pipelineServer(['InProgress', 'Succeeded']);
    const github = await startGitHubApiServer({ token: 'ghs_deploy' });
    try {
      const run = await runBundle(join(DIST, 'index.js'), {
        inputs: { 'pipeline-name': 'deploy-flask-app', 'poll-interval-seconds': '1', 'environment': 'staging', 'github-token': 'ghs_deploy' },
        env: { AWS_ENDPOINT_URL_CODEPIPELINE: server.url, GITHUB_API_URL: github.url },
      });
      expect({ code: run.code, errors: run.stdout.split('\n').filter((l) => l.startsWith('::error')) }).toEqual({ code: 0, errors: [] });
      const [deployment] = github.deployments;
      expect(deployment).toMatchObject({ ref: '0123456789abcdef0123456789abcdef01234567', environment: 'staging' });
      expect(github.statuses.get(deployment.id)!.map((x) => x.state)).toEqual(['in_progress', 'success']);
      expect(github.statuses.get(deployment.id)![0].log_url).toBe(run.outputs['execution-url']);
      expect(run.stdout).toContain('::add-mask::ghs_deploy');
    } finally {
      await github.close();
    }
  }, 20_000);

  test('two matrix legs start two executions; a re-run attempt of a leg follows the execution its first attempt started', async () => {
    const started = new Map<string, string>();
    server = await pipelineServer(['Succeeded'], started);
    const leg = (matrix: string, attempt: string): ReturnType<typeof runBundle> => runBundle(join(DIST, 'index.js'), {
      inputs: { 'pipeline-name': 'deploy-flask-app', 'poll-interval-seconds': '1', matrix },
      env: { AWS_ENDPOINT_URL_CODEPIPELINE: server!.url, GITHUB_RUN_ATTEMPT: attempt },
    });
    const [eu, us] = await Promise.all([leg('{"region":"eu-west-1"}', '1'), leg('{"region":"us-east-1"}', '1')]);
    const rerun = await leg('{"region":"eu-west-1"}', '2');
    const tokens = server.calls.filter((c) => c.operation === 'StartPipelineExecution').map((c) => String(c.body.clientRequestToken));
    expect(new Set(tokens).size).toBe(2);
    expect(started.size).toBe(2);
    expect(eu.outputs['execution-id']).not.toBe(us.outputs['execution-id']);
    expect(rerun.outputs['execution-id']).toBe(eu.outputs['execution-id']);
    for (const run of [eu, us, rerun]) expect(run.code).toBe(0);
  }, 20_000);

  test('the generic AWS_ENDPOINT_URL works too, and a Failed execution fails the job', async () => {
    server = await pipelineServer(['Failed']);
    const run = await runBundle(join(DIST, 'index.js'), {
      inputs: { 'pipeline-name': 'p', 'poll-interval-seconds': '1' },
      env: { AWS_ENDPOINT_URL: server.url },
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`::error::pipeline 'p' execution ${ID} ended Failed: it failed`);
  });

  test('SIGINT while waiting stops our execution and fails', async () => {
    server = await pipelineServer(['InProgress']);
    const srv = server;
    const run = await runBundle(join(DIST, 'index.js'), {
      inputs: { 'pipeline-name': 'p', 'poll-interval-seconds': '1' },
      env: { AWS_ENDPOINT_URL_CODEPIPELINE: server.url },
      started: (child) => {
        const timer = setInterval(() => {
          if (srv.calls.some((c) => c.operation === 'GetPipelineExecution')) {
            clearInterval(timer);
            child.kill('SIGINT');
          }
        }, 20);
        child.on('close', () => clearInterval(timer));
      },
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('the workflow run was cancelled; asked CodePipeline to stop execution');
    const stop = server.calls.find((c) => c.operation === 'StopPipelineExecution');
    expect(stop?.body).toMatchObject({ pipelineName: 'p', pipelineExecutionId: ID, abandon: false });
    expect(run.state.settled).toBe('true');
  });

  test('the role session ending mid-wait (ExpiredTokenException from AWS) fails with its own message naming the execution', async () => {
    let gets = 0;
    const expired = new AwsErrorReply('ExpiredTokenException', 'The security token included in the request is expired');
    server = await startAwsJsonServer({
      StartPipelineExecution: () => ({ pipelineExecutionId: ID }),
      GetPipelineExecution: () => {
        if (++gets > 1) throw expired;
        return { pipelineExecution: { pipelineExecutionId: ID, status: 'InProgress' } };
      },
      ListActionExecutions: () => { throw expired; },
      StopPipelineExecution: () => { throw expired; },
    });
    const run = await runBundle(join(DIST, 'index.js'), {
      inputs: { 'pipeline-name': 'deploy-flask-app', 'poll-interval-seconds': '1', 'timeout-minutes': '90' },
      env: { AWS_ENDPOINT_URL_CODEPIPELINE: server.url },
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(new RegExp(`::error::the AWS credentials expired after \\d+s while following execution ${ID} of pipeline 'deploy-flask-app'`));
    expect(run.stdout).toContain("configure-aws-credentials 'role-duration-seconds' above 5700 (timeout-minutes 90");
    expect(run.stdout).toContain(`executions/${ID}/timeline`);
    expect(run.stdout).not.toContain('could not follow');
    expect(run.outputs['execution-id']).toBe(ID);
    expect(run.state.settled).toBe('true');
  });

  test('the post step stops an execution the main step left unsettled', async () => {
    server = await pipelineServer(['InProgress']);
    const run = await runBundle(join(DIST, 'post.js'), {
      env: { 'AWS_ENDPOINT_URL_CODEPIPELINE': server.url, 'STATE_execution-id': ID, 'STATE_pipeline-name': 'p' },
    });
    expect(run.code).toBe(0);
    expect(server.calls.map((c) => c.operation)).toEqual(['StopPipelineExecution']);
    expect(String(server.calls[0].body.reason)).toContain('the workflow step ended before the execution finished');
  });

  test('the post step does nothing once the execution settled', async () => {
    server = await pipelineServer(['InProgress']);
    const run = await runBundle(join(DIST, 'post.js'), {
      env: { 'AWS_ENDPOINT_URL_CODEPIPELINE': server.url, 'STATE_execution-id': ID, 'STATE_pipeline-name': 'p', 'STATE_settled': 'true' },
    });
    expect(run.code).toBe(0);
    expect(server.calls).toEqual([]);
  });
});
