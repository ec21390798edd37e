/**
 * The GitHub side of a run through @actions/github: the run's context (event
 * payload, repository, sha, run id) and an Octokit authenticated with the
 * job's token. API failures become ActionErrors that name the call, the
 * status and, for 403/404, the permission to grant.
 */
import { context as runContext, getOctokit } from '@actions/github';
import { ActionError, TransientError } from './errors';

/** The Octokit client @actions/github builds (REST methods and pagination). */
export type GitHubClient = ReturnType<typeof getOctokit>;
/** The run context @actions/github reads from the runner's environment. */
export type GitHubContext = typeof runContext;

export { runContext as githubContext };

export interface GitHubClientOptions {
  /** The REST API root. @default GITHUB_API_URL, else https://api.github.com */
  readonly baseUrl?: string;
  readonly userAgent?: string;
}

/** Octokit with `token`; the token is masked by the caller when it reads it. */
export function createGitHubClient(token: string, options: GitHubClientOptions = {}): GitHubClient {
  return getOctokit(token, {
    ...(options.baseUrl && { baseUrl: options.baseUrl }),
    ...(options.userAgent && { userAgent: options.userAgent }),
  });
}

interface RequestErrorShape {
  readonly status?: unknown;
  readonly message?: unknown;
}

/**
 * Runs one API call; a failure becomes an ActionError naming `operation`
 * ("GitHub POST /repos/o/r/deployments failed: HTTP 403 …"), with `permission`
 * named for 403/404 (a token without it gets one of those). 5xx and network
 * failures are TransientErrors, so a read-only poll may retry them.
 */
export async function githubCall<T>(operation: string, permission: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const e = error as RequestErrorShape;
    const status = typeof e.status === 'number' ? e.status : undefined;
    const message = typeof e.message === 'string' ? e.message : String(error);
    if (status === undefined) throw new TransientError(`GitHub ${operation} could not reach the API: ${message}. Check GITHUB_API_URL and the runner's network.`);
    if (status >= 500) throw new TransientError(`GitHub ${operation} failed: HTTP ${status} ${message}`);
    const hint = status === 403 || status === 404
      ? ` The job's token needs '${permission}' (add it under 'permissions:'); pull requests from forks get a read-only token.`
      : '';
    throw new ActionError(`GitHub ${operation} failed: HTTP ${status} ${message}.${hint}`);
  }
}
