/** Entry point of the deploy action: read → deploy → report; the one place that fails the job. */
import { join } from 'path';
import { createClients } from './aws';
import { deploy } from './deploy';
import { DeployDeps } from './deploy-run';
import { DeployInputs, readDeployInputs } from './inputs';
import { readRunContext } from './run-context';
import { CoreRunner, Inputs, describeFailure, realSleep, regionFromEnvironment, systemClock, watchCancellation } from '../../shared';

/** dist/on-demand.js, next to this bundle (see src/projen/action-bundles.ts ON_DEMAND). */
function loadOnDemand(): typeof import('./on-demand') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(join(__dirname, 'on-demand.js')) as typeof import('./on-demand');
}

/** The GitHub side, only when a deployment is to be recorded: Octokit and undici load only then. */
async function githubTarget(inputs: DeployInputs): Promise<DeployDeps['github']> {
  if (!inputs.environment || !inputs.githubToken) return undefined;
  const { createGitHubClient, githubContext } = loadOnDemand();
  const client = createGitHubClient(inputs.githubToken, { userAgent: 'slipway-codepipeline-deploy' });
  return { client, ...githubContext.repo, ref: githubContext.sha };
}

async function run(runner: CoreRunner): Promise<void> {
  const inputs = readDeployInputs(new Inputs(runner));
  const context = readRunContext(process.env);
  const region = regionFromEnvironment(process.env);
  const cancellation = watchCancellation(process);
  try {
    await deploy(inputs, {
      ...createClients(region),
      runner,
      region,
      context,
      github: await githubTarget(inputs),
      signal: cancellation.signal,
      clock: systemClock,
      sleep: realSleep,
      random: Math.random,
    });
  } finally {
    cancellation.dispose();
  }
}

const runner = new CoreRunner();
run(runner).catch((error: unknown) => runner.setFailed(describeFailure(error)));
