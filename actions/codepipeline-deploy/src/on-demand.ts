/**
 * What main loads only when it records a GitHub Deployment: Octokit and
 * undici, bundled on their own as dist/on-demand.js so a run without
 * `environment` never parses them.
 */
export { createGitHubClient, githubContext } from '../../shared/github';
