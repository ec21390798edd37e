/** Stamping and releasing on small real git repositories (no projen run: the functions the tasks call). */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join } from 'path';
import { commitAll, git, initRepo } from './fixture-repos';
import { checkPlatformFiles } from '../../src/upgrade/check';
import { RECORD_FILE } from '../../src/upgrade/ownership';
import { PlatformRecord, renderRecord } from '../../src/upgrade/record';
import { releasePlatform } from '../../src/upgrade/release';
import { readRecord, stampIfNewCopy } from '../../src/upgrade/stamp';
import { UpgradeRefused, upgradePlatform } from '../../src/upgrade/upgrade';

const TEMPLATE_RECORD: PlatformRecord = {
  schemaVersion: 1,
  role: 'template',
  repository: 'slipway-dev/flask-app',
  template: { source: null, version: null, commit: null },
  files: {},
  executables: [],
  shared: {},
};

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-stamp-unit-'));
  dirs.push(dir);
  for (const [path, text] of Object.entries({ [RECORD_FILE]: renderRecord(TEMPLATE_RECORD), ...files })) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  initRepo(dir, 'Initial commit');
  return dir;
}

const FILES = { 'src/a.ts': 'export const a = 1;\n', 'ansible/roles/r/tasks/main.yml': '- name: x\n', 'app/app.py': 'print(1)\n', '.projenrc.ts': '// rc\n', 'package-lock.json': '{}\n' };

describe('stamping', () => {
  test('the template itself is left alone, and its check passes', () => {
    const dir = repo(FILES);
    expect(stampIfNewCopy(dir, 'slipway-dev/flask-app')).toEqual({ kind: 'template' });
    expect(checkPlatformFiles(dir, 'slipway-dev/flask-app').ok).toBe(true);
  });

  test('a copy for another repository records its platform files only, and the check holds it to them', () => {
    const dir = repo(FILES);
    expect(checkPlatformFiles(dir, 'acme/orders-api')).toMatchObject({ ok: false, message: expect.stringContaining('not stamped yet') });
    const outcome = stampIfNewCopy(dir, 'acme/orders-api');
    expect(outcome.kind).toBe('stamped');
    const record = readRecord(dir)!;
    expect(record).toMatchObject({ role: 'service', repository: 'acme/orders-api', template: { source: 'https://github.com/slipway-dev/flask-app.git', version: null, commit: null } });
    expect(Object.keys(record.files).sort()).toEqual(['ansible/roles/r/tasks/main.yml', 'src/a.ts']);
    expect(Object.keys(record.shared)).toEqual(['package-lock.json']);
    expect(checkPlatformFiles(dir, 'acme/orders-api').ok).toBe(true);

    writeFileSync(join(dir, 'app/app.py'), 'print(2)\n');
    writeFileSync(join(dir, '.projenrc.ts'), '// changed\n');
    writeFileSync(join(dir, 'package-lock.json'), '{"a":1}\n');
    expect(checkPlatformFiles(dir, 'acme/orders-api').ok).toBe(true);

    writeFileSync(join(dir, 'src/a.ts'), 'export const a = 2;\n');
    const check = checkPlatformFiles(dir, 'acme/orders-api');
    expect(check.ok).toBe(false);
    expect(check.message).toContain('src/a.ts (edited)');
  });

  test('a stamped repository that changes its name keeps its checksums', () => {
    const dir = repo(FILES);
    stampIfNewCopy(dir, 'acme/orders-api');
    const before = readRecord(dir)!;
    writeFileSync(join(dir, 'src/a.ts'), 'edited locally\n');
    expect(stampIfNewCopy(dir, 'acme/orders')).toEqual({ kind: 'renamed', from: 'acme/orders-api', to: 'acme/orders' });
    expect(readRecord(dir)).toEqual({ ...before, repository: 'acme/orders' });
    expect(stampIfNewCopy(dir, 'acme/orders')).toEqual({ kind: 'current' });
  });

  test('a copy outside git is not stamped (the first npx projen in a git repository is)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'slipway-stamp-unit-'));
    dirs.push(dir);
    mkdirSync(join(dir, '.slipway'));
    writeFileSync(join(dir, RECORD_FILE), renderRecord(TEMPLATE_RECORD));
    expect(stampIfNewCopy(dir, 'acme/orders-api')).toEqual({ kind: 'not-git' });
  });
});

describe('releasing the template', () => {
  test('moves Unreleased under the version, records it, commits and tags; the next release bumps from the tag', () => {
    const dir = repo({ ...FILES, 'CHANGELOG.md': '# Changelog\n\n## [Unreleased]\n\n- first\n' });
    const first = releasePlatform(dir, { version: '1.0.0', source: 'https://github.com/acme/slipway.git' }, '2026-12-01');
    expect(first.tag).toBe('v1.0.0');
    expect(git(dir, 'rev-parse', 'v1.0.0^{commit}')).toBe(first.commit);
    expect(git(dir, 'cat-file', '-t', 'v1.0.0')).toBe('tag');
    expect(readFileSync(join(dir, 'CHANGELOG.md'), 'utf8')).toContain('## [Unreleased]\n\n## [1.0.0] - 2026-12-01\n\n- first');
    expect(readRecord(dir)!.template).toEqual({ source: 'https://github.com/acme/slipway.git', version: 'v1.0.0', commit: null });
    expect(git(dir, 'status', '--porcelain')).toBe('');

    writeFileSync(join(dir, 'src/a.ts'), 'export const a = 2;\n');
    commitAll(dir, 'Fix a');
    const second = releasePlatform(dir, { version: { bump: 'minor' } }, '2026-12-02');
    expect(second.tag).toBe('v1.1.0');
    expect(readFileSync(join(dir, 'CHANGELOG.md'), 'utf8')).toContain('## [1.1.0] - 2026-12-02\n\n- Fix a\n\n## [1.0.0]');
    expect(git(dir, 'tag', '--list', '-n9', 'v1.1.0')).toContain('Fix a');
  });

  test('refuses a dirty tree, and refuses to run in a stamped repository', () => {
    const dir = repo(FILES);
    writeFileSync(join(dir, 'src/a.ts'), 'uncommitted\n');
    expect(() => releasePlatform(dir, { version: '1.0.0' })).toThrow('commit or stash these first');
    git(dir, 'checkout', '--', 'src/a.ts');
    stampIfNewCopy(dir, 'acme/orders-api');
    expect(() => releasePlatform(dir, { version: '1.0.0' })).toThrow('release-platform runs in the template repository');
  });
});

describe('upgrade-platform outside a stamped repository', () => {
  const quiet = { log: () => undefined, projen: () => undefined, install: () => undefined };

  test('in the template it refuses, or with --if-stamped says there is nothing to upgrade', () => {
    const dir = repo(FILES);
    expect(() => upgradePlatform({ root: dir, ...quiet })).toThrow(UpgradeRefused);
    expect(() => upgradePlatform({ root: dir, ...quiet })).toThrow('this is the template repository itself');
    expect(upgradePlatform({ root: dir, ifStamped: true, ...quiet }).kind).toBe('template');
  });

  test('with local edits it refuses before fetching anything, naming each file', () => {
    const dir = repo(FILES);
    stampIfNewCopy(dir, 'acme/orders-api');
    writeFileSync(join(dir, 'ansible/roles/r/tasks/main.yml'), '- name: y\n');
    expect(() => upgradePlatform({ root: dir, source: '/nonexistent', ...quiet })).toThrow('ansible/roles/r/tasks/main.yml (edited)');
  });
});
