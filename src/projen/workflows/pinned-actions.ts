/**
 * The one table of third-party actions the generated workflows use, each
 * pinned to a full commit SHA (a tag can be moved; a commit cannot). The
 * version goes into a comment next to every `uses:` so a reader, and
 * Dependabot, can tell what the SHA is.
 */

export interface PinnedAction {
  /** `owner/repo` or `owner/repo/path` as written before the `@`. */
  readonly action: string;
  /** The full 40-hex commit the version tag pointed to when we pinned it. */
  readonly sha: string;
  /** The release the SHA belongs to, written as the comment. */
  readonly version: string;
}

// The node24 majors (GitHub moves runners off node20), each SHA the commit its release tag points to.
export const PINNED_ACTIONS = {
  checkout: { action: 'actions/checkout', sha: '3d3c42e5aac5ba805825da76410c181273ba90b1', version: 'v7.0.1' },
  setupNode: { action: 'actions/setup-node', sha: '820762786026740c76f36085b0efc47a31fe5020', version: 'v7.0.0' },
  setupPython: { action: 'actions/setup-python', sha: '5fda3b95a4ea91299a34e894583c3862153e4b97', version: 'v7.0.0' },
  uploadArtifact: { action: 'actions/upload-artifact', sha: 'bbbca2ddaa5d8feaa63e36b76fdaad77386f024f', version: 'v7.0.0' },
  downloadArtifact: { action: 'actions/download-artifact', sha: '3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c', version: 'v8.0.1' },
  configureAwsCredentials: {
    action: 'aws-actions/configure-aws-credentials',
    sha: 'e6de054238d6b7531b4efff3b6587d9aade6a06c',
    version: 'v6.2.3',
  },
  uploadSarif: { action: 'github/codeql-action/upload-sarif', sha: '8aad20d150bbac5944a9f9d289da16a4b0d87c1e', version: 'v4.36.2' },
  // The upgrade workflows' pull requests must trigger checks, which the GITHUB_TOKEN's do not (upgrade-pull-request.ts).
  createGithubAppToken: { action: 'actions/create-github-app-token', sha: '1b10c78c7865c340bc4f6099eb2f838309f1e8c3', version: 'v3.1.1' },
  setupBuildx: { action: 'docker/setup-buildx-action', sha: '37fe631027851001ddb9b187196cc803df7f5f0e', version: 'v4.3.0' },
} as const satisfies Record<string, PinnedAction>;

export type PinnedActionName = keyof typeof PINNED_ACTIONS;

const FULL_SHA = /^[0-9a-f]{40}$/;

/** The `uses:` value of a pinned action: `owner/repo@<sha>`. */
export function pinnedUses(name: PinnedActionName): string {
  const pin: PinnedAction = PINNED_ACTIONS[name];
  return `${pin.action}@${pin.sha}`;
}

/** A `uses:` reference is acceptable when it is a local action or pinned to a full commit SHA. */
export function isLocalOrShaPinned(uses: string): boolean {
  if (uses.startsWith('./')) return true;
  const at = uses.lastIndexOf('@');
  return at > 0 && FULL_SHA.test(uses.slice(at + 1));
}

/**
 * Appends `# <version>` to every `uses:` line that names a pinned action,
 * because projen writes YAML from JSON and cannot carry comments itself.
 * Pure: text in, text out.
 */
export function commentPinnedVersions(yamlText: string, pins: readonly PinnedAction[] = Object.values(PINNED_ACTIONS)): string {
  const versionOf = new Map(pins.map((p) => [`${p.action}@${p.sha}`, p.version]));
  return yamlText
    .split('\n')
    .map((line) => {
      const match = /^(\s*(?:- )?uses: )(\S+)\s*$/.exec(line);
      const version = match ? versionOf.get(match[2]) : undefined;
      return version ? `${line.trimEnd()} # ${version}` : line;
    })
    .join('\n');
}
