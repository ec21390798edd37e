/**
 * Who may assume the deploy role: GitHub's OIDC tokens for this repository
 * only, on the spec's branches or in the spec's GitHub Environment (a job
 * that names an environment gets `environment:<name>` as its subject instead
 * of its ref). Pull requests and other repositories never match.
 */
import type { ServiceSpec } from '../../spec';

export const GITHUB_OIDC_URL = 'https://token.actions.githubusercontent.com';
export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';
export const STS_AUDIENCE = 'sts.amazonaws.com';

export function githubSubjects(spec: Pick<ServiceSpec, 'github' | 'environment'>): string[] {
  const repo = `repo:${spec.github.owner}/${spec.github.repo}`;
  return [...spec.github.branches.map((branch) => `${repo}:ref:refs/heads/${branch}`), `${repo}:environment:${spec.environment}`];
}

/** The trust policy conditions: exact audience and exact subjects, no wildcards. */
export function githubTrustConditions(spec: Pick<ServiceSpec, 'github' | 'environment'>): Record<string, Record<string, string | string[]>> {
  return {
    StringEquals: {
      [`${GITHUB_OIDC_HOST}:aud`]: STS_AUDIENCE,
      [`${GITHUB_OIDC_HOST}:sub`]: githubSubjects(spec),
    },
  };
}
