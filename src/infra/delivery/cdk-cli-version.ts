/**
 * The aws-cdk CLI version the pipeline installs: the one the repository's
 * lockfile resolved, so the CodeBuild step runs the same CLI that wrote and
 * tested the cloud assembly (a newer CLI can read an older assembly; an
 * older one may refuse a newer assembly's schema).
 */
import { readFileSync } from 'fs';
import { join } from 'path';

/** The repository's lockfile, next to package.json. */
export const LOCKFILE_PATH = join(__dirname, '..', '..', '..', 'package-lock.json');

/** Pure: the aws-cdk version a package-lock.json (lockfile v2/v3) resolved. */
export function cdkCliVersionFromLockfile(lockfileText: string, path = 'package-lock.json'): string {
  let lock: { packages?: Record<string, { version?: string }> };
  try {
    lock = JSON.parse(lockfileText) as typeof lock;
  } catch (e) {
    throw new Error(`${path} is not JSON (${(e as Error).message}); run npm install to rewrite it`);
  }
  const version = lock.packages?.['node_modules/aws-cdk']?.version;
  if (!version || !/^\d+\.\d+\.\d+$/.test(version)) {
    throw new Error(
      `${path} resolves no aws-cdk CLI version (packages["node_modules/aws-cdk"].version is ${JSON.stringify(version)}); ` +
        'keep aws-cdk in devDependencies and run npm install, so the pipeline installs the CLI the repository tested',
    );
  }
  return version;
}

let cached: string | undefined;

/** The lockfile's aws-cdk version, read once per synth. */
export function cdkCliVersion(): string {
  cached ??= cdkCliVersionFromLockfile(readFileSync(LOCKFILE_PATH, 'utf8'), LOCKFILE_PATH);
  return cached;
}
