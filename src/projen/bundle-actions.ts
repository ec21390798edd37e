/**
 * `npx projen bundle:actions`: rebuild every action bundle. Also used by the
 * drift test with a temp output root, so both build exactly the same way.
 */
import { statSync } from 'fs';
import { join } from 'path';
import { build } from 'esbuild';
import { bundleOptions, discoverActions } from './action-bundles';

export interface BuiltBundle {
  /** Relative to the output root, e.g. actions/ecr-image/dist/index.js. */
  readonly path: string;
  readonly bytes: number;
}

/** Builds the entries of every discovered action (or only those named) under `outRoot`. */
export async function buildActionBundles(root: string, outRoot = root, only: readonly string[] = []): Promise<BuiltBundle[]> {
  const actions = discoverActions(root);
  const unknown = only.filter((name) => !actions.some((a) => a.name === name));
  if (unknown.length > 0) {
    throw new Error(`no action named ${unknown.join(', ')}; actions with an action.yml: ${actions.map((a) => a.name).join(', ')}`);
  }
  const built: BuiltBundle[] = [];
  for (const action of actions.filter((a) => only.length === 0 || only.includes(a.name))) {
    for (const entry of action.entries) {
      await build(bundleOptions(root, action, entry, outRoot));
      const path = join(action.dir, entry.bundle);
      built.push({ path, bytes: statSync(join(outRoot, path)).size });
    }
  }
  return built;
}

if (require.main === module) {
  buildActionBundles(process.cwd(), process.cwd(), process.argv.slice(2))
    .then((built) => {
      if (built.length === 0) throw new Error('no actions found: expected actions/<name>/action.yml');
      for (const b of built) process.stdout.write(`${b.path}  ${(b.bytes / 1024).toFixed(0)} KiB\n`);
    })
    .catch((e: unknown) => {
      process.stderr.write(`bundle:actions failed: ${(e as Error).message}\n`);
      process.exitCode = 1;
    });
}
