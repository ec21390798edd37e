/**
 * `npx projen release-platform <X.Y.Z|major|minor|patch>`, in the template repository: the CHANGELOG.md
 * section for the version (the [Unreleased] entries, or the commit subjects since the last release),
 * the version in the template's record, one commit, and an annotated tag `vX.Y.Z` that stamped
 * repositories upgrade to.
 */
import { existsSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import type { ReleaseArgs } from './args';
import { Version, compareVersions, entriesBetween, newestReleaseTag, parseVersion, releaseChangelog, tagOf } from './changelog';
import { git } from './git';
import { RECORD_FILE } from './ownership';
import { readRecord, writeRecord } from './stamp';

/** The version to release: the exact one asked for (newer than the last), or the last one bumped. Pure. */
export function nextVersion(wanted: ReleaseArgs['version'], newestTag: string | undefined): Version {
  const last = newestTag ? parseVersion(newestTag) : undefined;
  if (typeof wanted === 'string') {
    const v = parseVersion(wanted);
    if (!v) throw new Error(`'${wanted}' is not a version X.Y.Z`);
    if (last && compareVersions(v, last) <= 0) throw new Error(`${wanted} is not newer than the last release ${newestTag}; choose a higher version, or major, minor or patch`);
    return v;
  }
  const base = last ?? { major: 0, minor: 0, patch: 0 };
  if (wanted.bump === 'major') return { major: base.major + 1, minor: 0, patch: 0 };
  if (wanted.bump === 'minor') return { major: base.major, minor: base.minor + 1, patch: 0 };
  return { major: base.major, minor: base.minor, patch: base.patch + 1 };
}

export interface ReleaseResult {
  readonly tag: string;
  readonly commit: string;
}

export function releasePlatform(root: string, args: ReleaseArgs, today: string = new Date().toISOString().slice(0, 10)): ReleaseResult {
  const record = readRecord(root);
  if (!record || record.role !== 'template') {
    throw new Error("release-platform runs in the template repository (.slipway/platform.json role 'template'); a stamped repository takes releases with 'npx projen upgrade-platform'");
  }
  const dirty = git(root, ['status', '--porcelain', '--untracked-files=all']);
  if (dirty) throw new Error(`commit or stash these first, a release is cut from a clean tree:\n${dirty}`);
  const newest = newestReleaseTag(git(root, ['tag', '--list']).split('\n').filter(Boolean));
  const version = nextVersion(args.version, newest);
  const tag = tagOf(version);
  const subjects = git(root, ['log', '--format=%s', ...(newest ? [`${newest}..HEAD`] : ['HEAD'])]).split('\n').filter(Boolean);
  const changelogPath = join(root, 'CHANGELOG.md');
  const changelog = releaseChangelog(existsSync(changelogPath) ? readFileSync(changelogPath, 'utf8') : undefined, version, today, subjects);
  writeFileSync(changelogPath, changelog);
  let origin: string | null = null;
  try {
    origin = git(root, ['remote', 'get-url', 'origin']) || null;
  } catch {
    origin = null;
  }
  const source = args.source ?? record.template.source ?? origin;
  writeRecord(root, { ...record, template: { ...record.template, source, version: tag, commit: null } });
  git(root, ['add', 'CHANGELOG.md', RECORD_FILE]);
  git(root, ['commit', '--quiet', '-m', `Release ${tag}`]);
  const notes = entriesBetween(changelog, newest ?? null, tag)[0]?.body ?? '';
  git(root, ['tag', '--annotate', tag, '-m', `Slipway ${tag}\n\n${notes}`]);
  return { tag, commit: git(root, ['rev-parse', 'HEAD']) };
}
