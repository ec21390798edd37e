/**
 * The same-run baseline for the regenerate and synth figures: a stock
 * `projen new awscdk-app-ts` project, created once and cached (creating it
 * runs `npm install`, which is not what we measure).
 */
import { execFileSync } from 'child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { homedir } from 'os';
import { join, resolve } from 'path';

const REPO_ROOT = resolve(__dirname, '..', '..');

function projenVersion(): string {
  return (JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules', 'projen', 'package.json'), 'utf8')) as { version: string }).version;
}

export function benchCacheDir(): string {
  return join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'slipway-bench');
}

function withoutCi(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { CI: _ci, ...rest } = env;
  return rest;
}

/** Path of a ready stock awscdk-app-ts project (created on first use). */
export async function ensureStockAwsCdkApp(): Promise<string> {
  // No dots: the stock sample names its stack after the directory, and CDK rejects '.' in stack names.
  const dir = join(benchCacheDir(), `stock-awscdk-app-ts-${projenVersion().replace(/\./g, '-')}`);
  const ready = join(dir, '.slipway-bench-ready');
  if (existsSync(ready)) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  process.stderr.write(`creating the stock awscdk-app-ts baseline in ${dir} (one-time, runs npm install)\n`);
  execFileSync(join(REPO_ROOT, 'node_modules', '.bin', 'projen'), ['new', 'awscdk-app-ts', '--no-git', '--projenrc-ts'], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'inherit'],
    // Without CI, projen runs `npm install` (CI makes it `npm ci`, which needs a lock file that does not exist yet).
    env: withoutCi(process.env),
  });
  writeFileSync(ready, '');
  return dir;
}
