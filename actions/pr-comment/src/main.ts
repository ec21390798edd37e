/** Entry point of the pr-comment action: the one place that fails the job. */
import { runPrComment } from './action';
import { CoreRunner, describeFailure } from '../../shared';
import { createGitHubClient, githubContext } from '../../shared/github';

const runner = new CoreRunner();
const runUrl = `${githubContext.serverUrl}/${process.env.GITHUB_REPOSITORY ?? ''}/actions/runs/${githubContext.runId}`;
runPrComment({ runner, context: githubContext, client: (token) => createGitHubClient(token, { userAgent: 'slipway-pr-comment' }), runUrl })
  .catch((error: unknown) => runner.setFailed(describeFailure(error)));
