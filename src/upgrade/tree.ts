/**
 * The file I/O of the platform record: which files a working tree has, who owns them, their checksums.
 * Everything else in src/upgrade is pure and takes what this module reads.
 */
import { execFileSync } from 'child_process';
import { existsSync, readFileSync, statSync } from 'fs';
import { join } from 'path';
import { checksum } from './checksum';
import { Owner, generatedSet, ownerOf } from './ownership';

export interface TreeFile {
  readonly checksum: string;
  readonly executable: boolean;
}

export interface Tree {
  /** Platform-owned files (not generated). */
  readonly platform: ReadonlyMap<string, TreeFile>;
  /** Shared files (package-lock.json) that exist. */
  readonly shared: ReadonlyMap<string, TreeFile>;
  /** What projen generates here, from .projen/files.json. */
  readonly generated: ReadonlySet<string>;
}

/** Files git tracks plus untracked files it does not ignore, that exist in the working tree. */
export function listFiles(root: string): string[] {
  const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const unique = [...new Set(out.split('\0').filter((f) => f.length > 0))];
  // A tracked file deleted in the working tree is listed but absent; a symlinked directory is not a file.
  return unique.filter((f) => {
    const path = join(root, f);
    return existsSync(path) && statSync(path).isFile();
  });
}

export function readGenerated(root: string): Set<string> {
  const path = join(root, '.projen', 'files.json');
  return generatedSet(existsSync(path) ? readFileSync(path, 'utf8') : undefined);
}

export function readTreeFile(root: string, path: string): TreeFile {
  const full = join(root, path);
  // eslint-disable-next-line no-bitwise
  return { checksum: checksum(readFileSync(full)), executable: (statSync(full).mode & 0o111) !== 0 };
}

/** The platform-owned and shared files of the working tree at `root`; `alsoGenerated` adds paths another tree generates. */
export function readTree(root: string, alsoGenerated: ReadonlySet<string> = new Set()): Tree {
  const generated = new Set([...readGenerated(root), ...alsoGenerated]);
  const platform = new Map<string, TreeFile>();
  const shared = new Map<string, TreeFile>();
  for (const path of listFiles(root)) {
    const owner: Owner = ownerOf(path, generated);
    if (owner === 'platform') platform.set(path, readTreeFile(root, path));
    else if (owner === 'shared') shared.set(path, readTreeFile(root, path));
  }
  return { platform, shared, generated };
}

export function checksumsOf(files: ReadonlyMap<string, TreeFile>): Record<string, string> {
  return Object.fromEntries([...files].map(([path, f]) => [path, f.checksum]));
}

export function executablesOf(files: ReadonlyMap<string, TreeFile>): string[] {
  return [...files].filter(([, f]) => f.executable).map(([path]) => path).sort();
}
