/**
 * One GitHub API call, its failure worded for a person: an ActionError that
 * names the call, the status and, for 403/404, the permission to grant.
 * Loads nothing from @actions/github (types only).
 */
import { ActionError, TransientError } from './errors';

export type { GitHubClient } from './github';

interface RequestErrorShape {
  readonly status?: unknown;
  readonly message?: unknown;
  /** Set when the server answered; Octokit reports a failed connection as status 500 without one. */
  readonly response?: unknown;
}

/** ' (ECONNREFUSED)' from the first error in the cause chain that has a code: fetch says only "fetch failed". */
function networkCode(error: unknown): string {
  for (let e = error as { cause?: unknown; code?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string') return ` (${e.code})`;
  }
  return '';
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
    if (status === undefined || e.response === undefined) {
      throw new TransientError(`GitHub ${operation} could not reach the API: ${message}${networkCode(error)}. Check GITHUB_API_URL and the runner's network.`);
    }
    if (status >= 500) throw new TransientError(`GitHub ${operation} failed: HTTP ${status} ${message}`);
    const hint = status === 403 || status === 404
      ? ` The job's token needs '${permission}' (add it under 'permissions:'); pull requests from forks get a read-only token.`
      : '';
    throw new ActionError(`GitHub ${operation} failed: HTTP ${status} ${message}.${hint}`);
  }
}
