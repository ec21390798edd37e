/**
 * The template's CHANGELOG.md and its version tags. Pure. Format (keepachangelog.com): `## [Unreleased]`
 * collects entries as they land; a release turns it into `## [1.2.0] - 2026-12-02`. Tags are `v1.2.0`.
 */

export interface Version {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
}

const SEMVER = /^v?(\d+)\.(\d+)\.(\d+)$/;

export function parseVersion(text: string): Version | undefined {
  const m = SEMVER.exec(text.trim());
  return m ? { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) } : undefined;
}

/** The release a `git describe` label is based on: 'v1.2.0-3-gabcdef' → 1.2.0 (the commits after it have no section yet). */
export function parseReleaseOf(label: string): Version | undefined {
  const m = /^v?(\d+)\.(\d+)\.(\d+)(?:-\d+-g[0-9a-f]+)?$/.exec(label.trim());
  return m ? { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) } : undefined;
}

export function compareVersions(a: Version, b: Version): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

export function formatVersion(v: Version): string {
  return `${v.major}.${v.minor}.${v.patch}`;
}

export function tagOf(v: Version): string {
  return `v${formatVersion(v)}`;
}

/** The newest `vX.Y.Z` tag among `tags`; other tags are ignored. */
export function newestReleaseTag(tags: readonly string[]): string | undefined {
  const releases = tags.filter((t) => /^v\d+\.\d+\.\d+$/.test(t)).map((t) => ({ t, v: parseVersion(t)! }));
  releases.sort((a, b) => compareVersions(b.v, a.v));
  return releases[0]?.t;
}

export interface ChangelogSection {
  /** 'Unreleased' or a version such as '1.2.0'. */
  readonly heading: string;
  readonly date?: string;
  /** The section's lines without its heading, trimmed of blank lines at both ends. */
  readonly body: string;
}

const HEADING = /^## \[([^\]]+)\](?:\s+-\s+(\S+))?\s*$/;

export function parseChangelog(text: string): { preamble: string; sections: ChangelogSection[] } {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const preamble: string[] = [];
  const sections: { heading: string; date?: string; lines: string[] }[] = [];
  for (const line of lines) {
    const m = HEADING.exec(line);
    if (m) sections.push({ heading: m[1], date: m[2], lines: [] });
    else if (sections.length === 0) preamble.push(line);
    else sections[sections.length - 1].lines.push(line);
  }
  return {
    preamble: preamble.join('\n').trimEnd(),
    sections: sections.map((s) => ({ heading: s.heading, ...(s.date ? { date: s.date } : {}), body: s.lines.join('\n').trim() })),
  };
}

/** The sections of versions after `from` up to and including `to` (newest first); from undefined: all up to `to`. */
export function entriesBetween(text: string, from: string | null, to: string): ChangelogSection[] {
  const upper = parseReleaseOf(to);
  if (!upper) throw new Error(`'${to}' is not a release version such as v1.2.0`);
  const lower = from === null ? undefined : parseReleaseOf(from);
  return parseChangelog(text).sections.filter((s) => {
    const v = parseVersion(s.heading);
    return v !== undefined && compareVersions(v, upper) <= 0 && (lower === undefined || compareVersions(v, lower) > 0);
  });
}

const EMPTY_CHANGELOG = '# Changelog\n\nWhat changed in each release of the Slipway template. `npx projen upgrade-platform` quotes the sections between two versions.';

/**
 * The changelog with `version` released: the `## [Unreleased]` entries move under `## [version] - date`
 * and a fresh empty Unreleased section stays on top. `fallback` (e.g. commit subjects) is used when
 * Unreleased is empty, so no release goes out with nothing to read.
 */
export function releaseChangelog(text: string | undefined, version: Version, date: string, fallback: readonly string[]): string {
  const { preamble, sections } = parseChangelog(text ?? EMPTY_CHANGELOG);
  const heading = formatVersion(version);
  if (sections.some((s) => s.heading === heading)) throw new Error(`CHANGELOG.md already has a section for ${heading}; choose the next version`);
  const unreleased = sections.find((s) => s.heading === 'Unreleased');
  const body = unreleased && unreleased.body.length > 0 ? unreleased.body : fallback.map((f) => `- ${f}`).join('\n');
  if (body.length === 0) throw new Error('nothing to release: CHANGELOG.md\'s [Unreleased] section is empty and there are no commits since the last release');
  const rest = sections.filter((s) => s.heading !== 'Unreleased');
  const render = (s: ChangelogSection) => [`## [${s.heading}]${s.date ? ` - ${s.date}` : ''}`, ...(s.body ? ['', s.body] : [])].join('\n');
  return `${[preamble || EMPTY_CHANGELOG, '## [Unreleased]', render({ heading, date, body }), ...rest.map(render)].join('\n\n')}\n`;
}
