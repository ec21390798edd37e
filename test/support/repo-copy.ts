/**
 * Copies the repository's source files (what git tracks plus untracked,
 * non-ignored files) into a temp dir, with node_modules linked, so a test can
 * run `.projenrc.ts` or synth there without touching the working tree.
 */
import { execFileSync } from 'child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join, resolve } from 'path';

export const REPO_ROOT = resolve(__dirname, '..', '..');

/** Files git tracks, plus (by default) untracked files it does not ignore. */
export function repoFiles(root: string = REPO_ROOT, options: { untracked?: boolean } = {}): string[] {
  const args = ['ls-files', '-z', '--cached', ...(options.untracked === false ? [] : ['--others', '--exclude-standard'])];
  const out = execFileSync('git', args, { cwd: root, encoding: 'utf8' });
  return out.split('\0').filter((f) => f.length > 0);
}

export function copyRepo(prefix: string, files: readonly string[] = repoFiles()): string {
  const dir = mkdtempSync(join(tmpdir(), `slipway-${prefix}-`));
  for (const file of files) {
    const target = join(dir, file);
    mkdirSync(dirname(target), { recursive: true });
    try {
      copyFileSync(join(REPO_ROOT, file), target);
    } catch (e) {
      // A file git lists may have been deleted in the working tree; the copy mirrors the tree.
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

/** Runs `.projenrc.ts` in `dir` the way `npx projen` does, minus the npm install. */
export function regenerate(dir: string): void {
  execFileSync(join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), ['.projenrc.ts'], {
    cwd: dir,
    stdio: 'pipe',
    env: { ...process.env, PROJEN_DISABLE_POST: 'true' },
  });
}

/** Every file projen generates in `root`: those .projen/files.json lists, plus package.json, which it does not list. */
export function generatedFiles(root: string): string[] {
  const listed = (JSON.parse(readFileSync(join(root, '.projen', 'files.json'), 'utf8')) as { files: string[] }).files;
  return [...listed, 'package.json'].sort();
}
