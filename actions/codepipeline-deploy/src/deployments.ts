/**
 * The GitHub Deployment this job records for its environment, so the
 * repository's Environments page shows which execution runs where:
 * created before the pipeline starts (a token without `deployments: write`
 * fails the job before anything deploys), `in_progress` with the execution's
 * URL once it has started, then `success`, `failure`, `error` or `inactive`
 * as the execution ends.
 * https://docs.github.com/en/rest/deployments/deployments#create-a-deployment
 * https://docs.github.com/en/rest/deployments/statuses#create-a-deployment-status
 */
import { Verdict } from './execution';
import { GitHubClient, githubCall } from '../../shared/github-call';

export type DeploymentState = 'in_progress' | 'success' | 'failure' | 'error' | 'inactive';

/** The statuses GitHub keeps for a deployment; what ended the wait decides which one is last. */
export type Ending =
  | { readonly kind: 'verdict'; readonly verdict: Exclude<Verdict, { kind: 'running' }> }
  /** We stopped following (cancelled, timed out, credentials expired, lost sight): the deployment's fate is unknown. */
  | { readonly kind: 'unfollowed' };

/** Pure: a Superseded execution was overtaken by a newer one, which now holds the environment. */
export function deploymentState(ending: Ending): DeploymentState {
  if (ending.kind === 'unfollowed') return 'error';
  if (ending.verdict.status === 'Superseded') return 'inactive';
  return ending.verdict.kind === 'succeeded' ? 'success' : 'failure';
}

export interface DeploymentTarget {
  readonly client: GitHubClient;
  readonly owner: string;
  readonly repo: string;
  /** The commit being deployed (GITHUB_SHA). */
  readonly ref: string;
  readonly environment: string;
}

const PERMISSION = 'deployments: write';
/** How many of the environment's latest deployments to look through for the one a success supersedes. */
const RETIRE_LOOKBACK = 10;

export class GitHubDeployment {
  /** Creates the deployment; any refusal fails the job before the pipeline starts. */
  static async create(target: DeploymentTarget, description: string, payload: Record<string, string>): Promise<GitHubDeployment> {
    const { client, owner, repo, ref, environment } = target;
    const { data } = await githubCall(`POST /repos/${owner}/${repo}/deployments`, PERMISSION, () => client.rest.repos.createDeployment({
      owner,
      repo,
      ref,
      environment,
      description: description.slice(0, 140),
      payload,
      // The default would merge the default branch into `ref` first; we deploy exactly this commit.
      auto_merge: false,
      // The default checks every commit status of `ref`, which the deploy job's own workflow is still running.
      required_contexts: [],
    }));
    if (!('id' in data)) throw new Error(`GitHub created no deployment for ${ref}: ${JSON.stringify(data)}`);
    return new GitHubDeployment(target, data.id, data.production_environment ?? false);
  }

  private constructor(private readonly target: DeploymentTarget, readonly id: number, private readonly production: boolean) {}

  /** One status; executionUrl is both the log and the environment link the Environments page shows. */
  async status(state: DeploymentState, executionUrl: string | undefined, description: string): Promise<void> {
    const { client, owner, repo } = this.target;
    await githubCall(`POST /repos/${owner}/${repo}/deployments/${this.id}/statuses`, PERMISSION, () => client.rest.repos.createDeploymentStatus({
      owner,
      repo,
      deployment_id: this.id,
      state,
      description: description.slice(0, 140),
      ...(executionUrl && { log_url: executionUrl, environment_url: executionUrl }),
      // GitHub marks earlier successful deployments of the environment inactive on success, but not
      // production (or transient) ones: retirePrevious does those.
      auto_inactive: true,
    }));
  }

  /**
   * After a success in a production environment, marks the deployment it
   * superseded (the newest earlier one whose latest status is success) inactive.
   * Returns that deployment's id, if any.
   */
  async retirePrevious(): Promise<number | undefined> {
    if (!this.production) return undefined;
    const { client, owner, repo, environment } = this.target;
    const { data: deployments } = await githubCall(`GET /repos/${owner}/${repo}/deployments`, 'deployments: read', () =>
      client.rest.repos.listDeployments({ owner, repo, environment, per_page: RETIRE_LOOKBACK }));
    for (const d of deployments.filter((x) => x.id !== this.id)) {
      const { data: statuses } = await githubCall(`GET /repos/${owner}/${repo}/deployments/${d.id}/statuses`, 'deployments: read', () =>
        client.rest.repos.listDeploymentStatuses({ owner, repo, deployment_id: d.id, per_page: 1 }));
      if (statuses[0]?.state !== 'success') continue;
      await githubCall(`POST /repos/${owner}/${repo}/deployments/${d.id}/statuses`, PERMISSION, () =>
        client.rest.repos.createDeploymentStatus({ owner, repo, deployment_id: d.id, state: 'inactive', description: `superseded by deployment ${this.id}` }));
      return d.id;
    }
    return undefined;
  }
}
