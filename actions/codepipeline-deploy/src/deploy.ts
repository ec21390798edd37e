/**
 * The bridge: start one pipeline execution, report its id at once, follow
 * that execution (never "the newest one") until it is final, and stop it when
 * the run is cancelled or the wait times out; record it as a GitHub
 * Deployment when an environment is given. Phases: prepare → (record) →
 * start → follow → finish. AWS and GitHub clients, clock and sleep are
 * injected; nothing here reads the environment.
 */
import { GetPipelineCommand, SourceRevisionOverride, StartPipelineExecutionCommand } from '@aws-sdk/client-codepipeline';
import { DeployDeps, DeployRun, STATE, prepare } from './deploy-run';
import { DeploymentState, DeploymentTarget, Ending, GitHubDeployment, deploymentState } from './deployments';
import { failureMessage } from './execution';
import { ExecutionFacts, FollowResult, followExecution } from './follow';
import { DeployInputs } from './inputs';
import { executionUrl } from './links';
import { renderSummary } from './progress';
import { clientRequestToken } from './run-context';
import { sourceRevisionsFor, uploadSource } from './upload';
import { ActionError, describeFailure, poll } from '../../shared';

export { STATE, callsPerMinute } from './deploy-run';
export type { DeployDeps } from './deploy-run';

export interface DeployResult {
  readonly executionId: string;
  readonly status: string;
}

export async function deploy(inputs: DeployInputs, deps: DeployDeps): Promise<DeployResult> {
  const run = prepare(inputs, deps);
  const deployment = await createDeployment(run);
  const executionId = await unlessStarted(run, deployment, async () => startExecution(run, inputs.source ? await pinnedSource(run) : undefined));
  const facts = announce(run, executionId);
  await recordStatus(run, deployment, 'in_progress', facts, `CodePipeline ${inputs.pipelineName} execution ${facts.executionId}`);
  if (!inputs.wait) return leaveRunning(run, facts);
  return finish(run, facts, deployment, await followExecution(run, facts));
}

/** The GitHub Deployment, created before anything deploys so a refused token stops the job first. */
async function createDeployment(run: DeployRun): Promise<GitHubDeployment | undefined> {
  const { environment, pipelineName } = run.inputs;
  if (!environment) return undefined;
  const github = run.deps.github;
  if (!github) throw new ActionError(`input 'environment' is '${environment}' but no GitHub client was set up to record the deployment`);
  const deployment = await GitHubDeployment.create({ ...github, environment }, `CodePipeline ${pipelineName}`, {
    pipeline: pipelineName,
    ...(run.deps.context.runUrl && { run: run.deps.context.runUrl }),
  });
  run.deps.runner.info(`recording GitHub deployment ${deployment.id} to environment '${environment}'`);
  return deployment;
}

/** A status write after the pipeline started: a refusal is a warning, never the deploy's verdict. */
async function recordStatus(
  run: DeployRun,
  deployment: GitHubDeployment | undefined,
  state: DeploymentState,
  facts: Pick<ExecutionFacts, 'executionUrl'> | { executionUrl: undefined },
  description: string,
): Promise<void> {
  if (!deployment) return;
  try {
    await deployment.status(state, facts.executionUrl, description);
    if (state === 'success') {
      const retired = await deployment.retirePrevious();
      if (retired !== undefined) run.deps.runner.info(`marked the superseded deployment ${retired} inactive`);
    }
  } catch (error) {
    run.deps.runner.warning(`could not record deployment ${deployment.id} as ${state}: ${describeFailure(error)}`);
  }
}

/** Nothing started (upload, start or a cancel failed first): the recorded deployment ends as an error. */
async function unlessStarted<T>(run: DeployRun, deployment: GitHubDeployment | undefined, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (error) {
    await recordStatus(run, deployment, 'error', { executionUrl: undefined }, 'the pipeline was not started');
    throw error;
  }
}

/** Upload, then look up which source actions read that object. */
async function pinnedSource(run: DeployRun): Promise<SourceRevisionOverride[]> {
  const { inputs, deps, paced } = run;
  const source = inputs.source!;
  const versionId = await paced(`S3 PutObject s3://${source.bucket}/${source.key}`, () => uploadSource(deps.s3, source));
  deps.runner.info(`uploaded ${source.file} to s3://${source.bucket}/${source.key} (version ${versionId})`);
  const got = await paced('CodePipeline GetPipeline', () => deps.codepipeline.send(new GetPipelineCommand({ name: inputs.pipelineName })));
  return sourceRevisionsFor(got.pipeline, source, versionId);
}

/** Throttling on the start call backs off like polling; the idempotency token makes the retry safe. */
async function startExecution(run: DeployRun, sourceRevisions: SourceRevisionOverride[] | undefined): Promise<string> {
  const { inputs, deps } = run;
  const token = clientRequestToken(deps.context, inputs);
  const command = new StartPipelineExecutionCommand({
    name: inputs.pipelineName,
    clientRequestToken: token,
    variables: inputs.variables.length > 0 ? inputs.variables.map((v) => ({ name: v.name, value: v.value })) : undefined,
    sourceRevisions,
  });
  const { value } = await poll({
    ...run.poll,
    what: `starting pipeline '${inputs.pipelineName}'`,
    check: async () => {
      const started = await run.paced('CodePipeline StartPipelineExecution', () => deps.codepipeline.send(command));
      if (!started.pipelineExecutionId) throw new ActionError(`StartPipelineExecution for '${inputs.pipelineName}' returned no pipelineExecutionId`);
      return { done: true, value: started.pipelineExecutionId };
    },
  });
  return value;
}

/** The id and URL go out at once (outputs, post-step state, log), before any wait. */
function announce(run: DeployRun, executionId: string): ExecutionFacts {
  const { inputs, deps } = run;
  const url = executionUrl(deps.region, inputs.pipelineName, executionId);
  deps.runner.setOutput('execution-id', executionId);
  deps.runner.setOutput('execution-url', url);
  deps.runner.saveState(STATE.executionId, executionId);
  deps.runner.saveState(STATE.pipelineName, inputs.pipelineName);
  deps.runner.info(`started pipeline '${inputs.pipelineName}' execution ${executionId}: ${url}`);
  return { pipelineName: inputs.pipelineName, executionId, executionUrl: url, runUrl: deps.context.runUrl };
}

async function leaveRunning(run: DeployRun, facts: ExecutionFacts): Promise<DeployResult> {
  const { runner } = run.deps;
  runner.setOutput('status', 'InProgress');
  runner.saveState(STATE.settled, 'true');
  await renderSummary({ ...facts, status: 'InProgress', note: 'wait is false: this job did not wait for the execution.' }, []).write(runner);
  return { executionId: facts.executionId, status: 'InProgress' };
}

/** Outputs, summary and the deployment's last status; then pass or fail with the execution. */
type Deployment = GitHubDeployment | undefined;

async function finish(run: DeployRun, facts: ExecutionFacts, deployment: Deployment, followed: FollowResult): Promise<DeployResult> {
  const { runner } = run.deps;
  const status = followed.kind === 'verdict' ? followed.verdict.status : followed.lastStatus;
  const note = followed.kind === 'verdict' ? (followed.verdict.kind === 'succeeded' ? followed.verdict.note : undefined) : followed.note;
  runner.setOutput('status', status);
  // Unsettled leaves the post step to stop an execution we could not stop ourselves.
  if (followed.kind === 'verdict' || followed.settled) runner.saveState(STATE.settled, 'true');
  await renderSummary({ ...facts, status, note }, followed.actions).write(runner);
  const ending: Ending = followed.kind === 'verdict' ? { kind: 'verdict', verdict: followed.verdict } : { kind: 'unfollowed' };
  await recordStatus(run, deployment, deploymentState(ending), facts, `execution ${facts.executionId} ${followed.kind === 'verdict' ? status : `not followed to the end (${status})`}`);
  if (followed.kind === 'unfollowed') throw new ActionError(followed.message);
  if (followed.verdict.kind === 'failed') throw new ActionError(failureMessage(facts.pipelineName, facts.executionId, followed.verdict, followed.actions));
  runner.info(`pipeline '${facts.pipelineName}' execution ${facts.executionId} ${status}`);
  return { executionId: facts.executionId, status };
}

