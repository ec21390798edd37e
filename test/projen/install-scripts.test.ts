import { readFileSync } from 'fs';
import { join } from 'path';
import { INSTALL_SCRIPTS } from '../../src/projen/install-scripts';
import { REPO_ROOT } from '../support/repo-copy';

const read = (file: string) => JSON.parse(readFileSync(join(REPO_ROOT, file), 'utf8'));

/** Names of the locked packages npm marks as having install scripts (what `npm install-scripts ls` reviews). */
function lockedWithInstallScripts(): Set<string> {
  const lock = read('package-lock.json') as { packages: Record<string, { hasInstallScript?: boolean }> };
  const marker = 'node_modules/';
  return new Set(
    Object.entries(lock.packages)
      .filter(([, entry]) => entry.hasInstallScript)
      .map(([path]) => path.slice(path.lastIndexOf(marker) + marker.length)),
  );
}

describe("npm's allowScripts policy", () => {
  test('every locked package with an install script has a decision, so npm ci lists none as unreviewed', () => {
    const names = [...lockedWithInstallScripts()];
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((name) => !(name in INSTALL_SCRIPTS))).toEqual([]);
  });

  test('no stale decision for a package that no longer has an install script', () => {
    const names = lockedWithInstallScripts();
    expect(Object.keys(INSTALL_SCRIPTS).filter((name) => !names.has(name))).toEqual([]);
  });

  test('package.json carries the policy', () => {
    expect(read('package.json').allowScripts).toEqual({ 'esbuild': true, '@swc/core': true, '@parcel/watcher': false });
  });
});
