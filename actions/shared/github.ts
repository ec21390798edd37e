/**
 * The GitHub side of a run through @actions/github: the run's context (event
 * payload, repository, sha, run id) and an Octokit authenticated with the
 * job's token. Importing this loads Octokit and undici: an action that calls
 * GitHub only sometimes imports it with `await import()` when it does (esbuild
 * then evaluates it only then). Calls go through githubCall (github-call.ts).
 */
import { context as runContext, getOctokit } from '@actions/github';

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

