/**
 * Stamping: the first `npx projen` in a copy of the template records where the copy came from and the
 * checksum of every platform-owned file it holds.
 *
 * A copy is noticed by its identity: the spec's github owner/repo (from `.projenrc.ts`). The template's
 * record names the template's own owner/repo; a service repository must set its own (the deploy role
 * trusts exactly that repository), so the first regeneration after the team sets it is the stamp. A fork
 * or clone of the template keeps the template's `.projenrc.ts` and stays the template. The environment
 * (GITHUB_REPOSITORY, the git remote) is not used: it differs between a laptop, CI and a fork, and the
 * stamp must be the same wherever it runs.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'fs';
import { dirname, join } from 'path';
import { isGitRepository, resolveCommit } from './git';
import { RECORD_FILE } from './ownership';
import { PlatformRecord, RECORD_SCHEMA_VERSION, parseRecord, renderRecord, sourceOf } from './record';
import { checksumsOf, executablesOf, readTree } from './tree';

export type StampOutcome =
  | { readonly kind: 'no-record' }
  | { readonly kind: 'template' }
  | { readonly kind: 'current' }
  | { readonly kind: 'stamped'; readonly record: PlatformRecord }
  | { readonly kind: 'renamed'; readonly from: string; readonly to: string }
  /** A new copy outside git (a zip download, a test's temp copy): stamped by the first `npx projen` in a git repository. */
  | { readonly kind: 'not-git' };

export function readRecord(root: string): PlatformRecord | undefined {
  const path = join(root, RECORD_FILE);
  return existsSync(path) ? parseRecord(readFileSync(path, 'utf8')) : undefined;
}

export function writeRecord(root: string, record: PlatformRecord): void {
  const path = join(root, RECORD_FILE);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, renderRecord(record));
}

/** The record a copy of `template` at `root` gets; pure apart from reading the tree. */
export function stampRecord(root: string, template: PlatformRecord, repository: string): PlatformRecord {
  const tree = readTree(root);
  // A clone (not "Use this template") still has the template's tags: then the commit is known.
  const commit = template.template.version ? resolveCommit(root, `refs/tags/${template.template.version}`) ?? null : null;
  return {
    schemaVersion: RECORD_SCHEMA_VERSION,
    role: 'service',
    repository,
    template: { source: sourceOf(template, template.repository), version: template.template.version, commit: template.template.commit ?? commit },
    files: checksumsOf(tree.platform),
    executables: executablesOf(tree.platform),
    shared: checksumsOf(tree.shared),
  };
}

/** Writes the record when `root` is a new copy for `repository` (owner/repo); says what it did. */
export function stampIfNewCopy(root: string, repository: string): StampOutcome {
  const record = readRecord(root);
  if (!record) return { kind: 'no-record' };
  if (record.repository === repository) return { kind: record.role === 'template' ? 'template' : 'current' };
  if (record.role === 'service') {
    // The service's repository was renamed (or moved owner): same files, same checksums, new name.
    writeRecord(root, { ...record, repository });
    return { kind: 'renamed', from: record.repository, to: repository };
  }
  // Which files are the copy's is what git tracks; check:platform fails until the stamp is written.
  if (!isGitRepository(root)) return { kind: 'not-git' };
  const stamped = stampRecord(root, record, repository);
  writeRecord(root, stamped);
  return { kind: 'stamped', record: stamped };
}
