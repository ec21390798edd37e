/**
 * The GitHub Deployment the deploy action records, against a local server
 * speaking the documented deployments and deployment-statuses endpoints:
 * its statuses follow the execution.
 */
import { CodePipelineClient, StartPipelineExecutionCommand } from '@aws-sdk/client-codepipeline';
import { S3Client } from '@aws-sdk/client-s3';
import { Answer, EXECUTION_ID, FakePipeline } from './fake-pipeline';
import { DeployDeps, deploy } from '../../../actions/codepipeline-deploy/src/deploy';
import { deploymentState } from '../../../actions/codepipeline-deploy/src/deployments';
import { DeployInputs } from '../../../actions/codepipeline-deploy/src/inputs';
import { readRunContext } from '../../../actions/codepipeline-deploy/src/run-context';
import { createGitHubClient } from '../../../actions/shared/github';
import { ManualClock } from '../../../actions/shared/time';
import { GitHubApiServer, startGitHubApiServer } from '../support/github-api-server';
import { TestRunner, testRunner } from '../support/runner';

const TOKEN = 'ghs_test_token';
const SHA = '0123456789abcdef0123456789abcdef01234567';
const URL_OF_EXECUTION = `https://eu-west-1.console.aws.amazon.com/codesuite/codepipeline/pipelines/deploy/executions/${EXECUTION_ID}/timeline?region=eu-west-1`;

const INPUTS: DeployInputs = {
  pipelineName: 'deploy',
  variables: [],
  wait: true,
  timeoutMinutes: 60,
  pollIntervalSeconds: 15,
  supersededIsSuccess: false,
  stopOnCancel: true,
  matrix: 'null',
  environment: 'staging',
  githubToken: TOKEN,
};

let server: GitHubApiServer;
let fake: FakePipeline | undefined;
let t: TestRunner | undefined;
beforeEach(async () => { server = await startGitHubApiServer({ token: TOKEN }); });
afterEach(async () => {
  fake?.restore();
  t?.cleanup();
  await server.close();
});

function deps(answers: Answer[], controller = new AbortController()): DeployDeps {
  const clock = new ManualClock(1_700_000_000_000);
  fake = new FakePipeline(clock, answers);
  t = testRunner();
  return {
    codepipeline: new CodePipelineClient({ region: 'eu-west-1' }),
    s3: new S3Client({ region: 'eu-west-1' }),
    runner: t.runner,
    region: 'eu-west-1',
    context: readRunContext({ GITHUB_RUN_ID: '1234', GITHUB_RUN_ATTEMPT: '1', GITHUB_REPOSITORY: 'slipway-dev/flask-app', GITHUB_SHA: SHA }),
    signal: controller.signal,
    clock,
    sleep: clock.sleep,
    random: () => 0.5,
    github: { client: createGitHubClient(TOKEN, { baseUrl: server.url }), owner: 'slipway-dev', repo: 'flask-app', ref: SHA },
  };
}

const states = (id: number): string[] => (server.statuses.get(id) ?? []).map((s) => s.state);

describe('deploy records a GitHub Deployment whose statuses follow the execution', () => {
  test('created for the commit before the pipeline starts; in progress with the execution URL; success at the end', async () => {
    // The pipeline is started only once the deployment exists.
    const d = deps(['InProgress', 'Succeeded']);
    fake!.codepipeline.on(StartPipelineExecutionCommand).callsFake(() => {
      expect(server.deployments).toHaveLength(1);
      return { pipelineExecutionId: EXECUTION_ID };
    });
    await deploy(INPUTS, d);
    expect(server.requests[0]).toMatchObject({ method: 'POST', path: '/repos/slipway-dev/flask-app/deployments' });
    const [deployment] = server.deployments;
    expect(deployment).toMatchObject({ ref: SHA, environment: 'staging', payload: { pipeline: 'deploy', run: 'https://github.com/slipway-dev/flask-app/actions/runs/1234/attempts/1' } });
    expect(server.requests[0].body).toMatchObject({ auto_merge: false, required_contexts: [] });
    expect(states(deployment.id)).toEqual(['in_progress', 'success']);
    for (const s of server.statuses.get(deployment.id)!) expect(s).toMatchObject({ log_url: URL_OF_EXECUTION, environment_url: URL_OF_EXECUTION });
  });

  test('a failed execution is a failed deployment; a superseded one is inactive; a cancelled wait is an error', async () => {
    await expect(deploy(INPUTS, deps(['Failed']))).rejects.toThrow(/ended Failed/);
    fake!.restore();
    t!.cleanup();
    await expect(deploy(INPUTS, deps(['Superseded']))).rejects.toThrow(/superseded/);
    fake!.restore();
    t!.cleanup();
    // Cancelled while following: the deployment's fate is unknown.
    const controller = new AbortController();
    const cancelling = deps(['InProgress'], controller);
    fake!.codepipeline.on(StartPipelineExecutionCommand).callsFake(() => {
      controller.abort(new Error('received SIGINT'));
      return { pipelineExecutionId: EXECUTION_ID };
    });
    await expect(deploy(INPUTS, cancelling)).rejects.toThrow(/cancelled/);
    fake!.restore();
    t!.cleanup();
    // Cancelled before the start: nothing deployed, and the record says so.
    const early = new AbortController();
    early.abort(new Error('received SIGINT'));
    await expect(deploy(INPUTS, deps(['InProgress'], early))).rejects.toThrow(/cancelled/);
    expect(server.deployments.map((d) => states(d.id))).toEqual([['in_progress', 'failure'], ['in_progress', 'inactive'], ['in_progress', 'error'], ['error']]);
  });

  test('a success retires the deployment it superseded: GitHub does it for staging, the action for production', async () => {
    for (const environment of ['staging', 'staging', 'production', 'production']) {
      await deploy({ ...INPUTS, environment }, deps(['Succeeded']));
      fake!.restore();
      t!.cleanup();
    }
    const [staging1, staging2, prod1, prod2] = server.deployments;
    expect([states(staging1.id), states(staging2.id)]).toEqual([['in_progress', 'success', 'inactive'], ['in_progress', 'success']]);
    expect([states(prod1.id), states(prod2.id)]).toEqual([['in_progress', 'success', 'inactive'], ['in_progress', 'success']]);
    expect(server.statuses.get(prod1.id)!.at(-1)).toMatchObject({ description: `superseded by deployment ${prod2.id}` });
  });

  test("a token without 'deployments: write' fails the job before anything deploys", async () => {
    server.readOnly = true;
    const d = deps(['Succeeded']);
    await expect(deploy(INPUTS, d)).rejects.toThrow(/HTTP 403 .*'deployments: write'/);
    expect(fake!.names()).toEqual([]);
  });

  test('a status that cannot be written after the start is a warning; the deploy still passes with its execution', async () => {
    const d = deps(['InProgress', 'Succeeded']);
    const deploying = deploy(INPUTS, d);
    // The deployment is created; then every later write is refused.
    while (server.deployments.length === 0) await new Promise((r) => setTimeout(r, 5));
    server.readOnly = true;
    await expect(deploying).resolves.toEqual({ executionId: EXECUTION_ID, status: 'Succeeded' });
    expect(t!.log()).toMatch(/::warning::could not record deployment \d+ as (in_progress|success): GitHub POST/);
  });

  test('without an environment no GitHub call is made', async () => {
    await deploy({ ...INPUTS, environment: undefined, githubToken: undefined }, deps(['Succeeded']));
    expect(server.requests).toEqual([]);
  });
});

test('deploymentState maps every way an execution ends', () => {
  expect(deploymentState({ kind: 'unfollowed' })).toBe('error');
  expect(deploymentState({ kind: 'verdict', verdict: { kind: 'succeeded', status: 'Succeeded' } })).toBe('success');
  expect(deploymentState({ kind: 'verdict', verdict: { kind: 'succeeded', status: 'Superseded', note: 'x' } })).toBe('inactive');
  expect(deploymentState({ kind: 'verdict', verdict: { kind: 'failed', status: 'Stopped', reason: 'x' } })).toBe('failure');
});
