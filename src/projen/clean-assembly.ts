/**
 * Removes the previous cloud assembly before a synth, so the summary and the
 * upload never see a stale template (CDK writes into `cdk.out` but never
 * deletes: after a rename the old service's templates stay). Safe by
 * construction: only a directory inside the project that is a cloud assembly
 * (it has a manifest.json) is deleted; a symlink is unlinked, never followed.
 */
import { existsSync, lstatSync, readdirSync, rmSync, unlinkSync } from 'fs';
import { isAbsolute, join, relative, resolve } from 'path';

export type CleanResult = { readonly removed: 'nothing' | 'assembly' | 'symlink' } | { readonly refused: string };

export function removeStaleAssembly(projectRoot: string, outdir: string): CleanResult {
  const root = resolve(projectRoot);
  const target = resolve(root, outdir);
  const inside = relative(root, target);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) {
    return { refused: `the assembly directory '${outdir}' is not inside the project ${root}; set cdk.json "output" to a directory such as 'cdk.out'` };
  }
  let stat;
  try {
    stat = lstatSync(target);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { removed: 'nothing' };
    throw e;
  }
  if (stat.isSymbolicLink()) {
    unlinkSync(target);
    return { removed: 'symlink' };
  }
  if (!stat.isDirectory()) {
    return { refused: `'${outdir}' is a file, not a cloud assembly directory; move it away so cdk synth can write the assembly there` };
  }
  if (!existsSync(join(target, 'manifest.json')) && readdirSync(target).length > 0) {
    return { refused: `'${outdir}' has files but no manifest.json, so it is not a cloud assembly; move it away (it is not deleted automatically)` };
  }
  rmSync(target, { recursive: true, force: true });
  return { removed: 'assembly' };
}
