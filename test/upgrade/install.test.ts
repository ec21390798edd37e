/** The upgrade's own dependency install: never through a node_modules that links into another checkout. */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { UpgradeRefused, installDependencies } from '../../src/upgrade/upgrade';

test("a node_modules linked into another checkout is refused before 'npm ci' could empty it, saying what to do", () => {
  const root = mkdtempSync(join(tmpdir(), 'slipway-install-'));
  try {
    const elsewhere = join(root, 'other-checkout', 'node_modules');
    mkdirSync(elsewhere, { recursive: true });
    symlinkSync(elsewhere, join(root, 'node_modules'));
    expect(() => installDependencies(root)).toThrow(UpgradeRefused);
    expect(() => installDependencies(root)).toThrow(/is a link into another checkout, which 'npm ci' would empty; replace the link with a real node_modules/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
