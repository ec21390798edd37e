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

export const PINNED_ACTIONS = {
  checkout: { action: 'actions/checkout', sha: '11bd71901bbe5b1630ceea73d27597364c9af683', version: 'v4.2.2' },
  setupNode: { action: 'actions/setup-node', sha: '49933ea5288caeca8642d1e84afbd3f7d6820020', version: 'v4.4.0' },
  uploadArtifact: { action: 'actions/upload-artifact', sha: 'ea165f8d65b6e75b540449e92b4886f43607fa02', version: 'v4.6.2' },
  downloadArtifact: { action: 'actions/download-artifact', sha: 'd3f86a106a0bac45b974a628896c90dbdf5c8093', version: 'v4.3.0' },
  configureAwsCredentials: {
    action: 'aws-actions/configure-aws-credentials',
    sha: 'e3dd6a429d7300a6a4c196c26e071d42e0343502',
    version: 'v4.0.2',
  },
  uploadSarif: { action: 'github/codeql-action/upload-sarif', sha: '5d4e8d1aca955e8d8589aabd499c5cae939e33c7', version: 'v4.31.9' },
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
