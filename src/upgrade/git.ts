/** git, run as a child process: the one way src/upgrade talks to repositories. */
import { execFileSync } from 'child_process';

export function git(cwd: string, args: readonly string[]): string {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 }).trim();
  } catch (e) {
    const err = e as { stderr?: Buffer | string; message: string };
    const detail = (err.stderr ? String(err.stderr) : err.message).trim();
    throw new Error(`git ${args.join(' ')} failed in ${cwd}: ${detail}`);
  }
}

/** The commit `ref` names, or undefined when it names none. */
export function resolveCommit(cwd: string, ref: string): string | undefined {
  try {
    return git(cwd, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]) || undefined;
  } catch {
    return undefined;
  }
}

export function isGitRepository(cwd: string): boolean {
  try {
    return git(cwd, ['rev-parse', '--is-inside-work-tree']) === 'true';
  } catch {
    return false;
  }
}
