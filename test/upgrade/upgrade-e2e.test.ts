/**
 * Issue 16's acceptance test, offline: a template repository at v1 built from this checkout, a service
 * stamped from it (renamed, app/ edited, options changed), the template's v2 (a change in src/, in an
 * action, in a role, a new file, a removed file, a renamed option with its deprecation), the upgrade in
 * the service repository with its service checks, then a local edit to a platform file that both the
 * build's check and the upgrade refuse.
 *
 * The service checks run once, in the upgrade (minutes: type-check, cdk-nag, synth, the app's tests).
 */
import { existsSync, readFileSync, rmSync } from 'fs';
import { join } from 'path';
import { V2, appendTo, buildUpgradeScenario, commitAll, git, projen } from './fixture-repos';
import { ownerOf } from '../../src/upgrade/ownership';
import { parseRecord } from '../../src/upgrade/record';

jest.setTimeout(900_000);

const { changedSrc: CHANGED_SRC, changedAction: CHANGED_ACTION, changedRole: CHANGED_ROLE, added: ADDED, removed: REMOVED } = V2;

let template: string;
let service: string;
let upgrade: { status: number | null; stdout: string; stderr: string };
let stampedCommit: string;

function read(dir: string, file: string): string {
  return readFileSync(join(dir, file), 'utf8');
}

function ok(result: { status: number | null; stdout: string; stderr: string }, what: string): void {
  if (result.status !== 0) throw new Error(`${what} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
}

beforeAll(() => {
  ({ template, service, stampedCommit } = buildUpgradeScenario());
  // The one run of the service checks: inside the upgrade, in the final state.
  upgrade = projen(service, 'upgrade-platform', '--source', template);
});

afterAll(() => {
  // SLIPWAY_KEEP_UPGRADE_REPOS=1 keeps both repositories for a look.
  if (process.env.SLIPWAY_KEEP_UPGRADE_REPOS) return;
  for (const dir of [template, service]) if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the first npx projen stamped the copy: template, version, commit and platform checksums', () => {
  const record = parseRecord(git(service, 'show', `${stampedCommit}:.slipway/platform.json`));
  expect(record.role).toBe('service');
  expect(record.repository).toBe('acme/orders-api');
  expect(record.template.version).toBe('v1.0.0');
  expect(record.template.source).toBe(template);
  expect(Object.keys(record.files)).toEqual(expect.arrayContaining([CHANGED_SRC, CHANGED_ACTION, CHANGED_ROLE, REMOVED]));
  expect(Object.keys(record.files).some((f) => f.startsWith('app/') || f === '.projenrc.ts')).toBe(false);
});

test('the upgrade passed its service checks and printed the table and the changelog', () => {
  ok(upgrade, 'npx projen upgrade-platform');
  expect(upgrade.stdout).toContain('v1.0.0');
  expect(upgrade.stdout).toContain('→ v2.0.0');
  for (const row of [`| changed | \`${CHANGED_SRC}\` |`, `| changed | \`${CHANGED_ACTION}\` |`, `| changed | \`${CHANGED_ROLE}\` |`, `| added | \`${ADDED}\` |`, `| removed | \`${REMOVED}\` |`]) {
    expect(upgrade.stdout).toContain(row);
  }
  expect(upgrade.stdout).toContain('Service checks (`npx projen test:service`): passed');
  expect(upgrade.stdout).toContain('monitoring.processNames is now monitoring.processes');
});

test('only platform-owned and generated files changed, and .projenrc.ts only by the rename', () => {
  const changed = git(service, 'diff', '--name-only', stampedCommit).split('\n').filter(Boolean);
  const untracked = git(service, 'ls-files', '--others', '--exclude-standard').split('\n').filter(Boolean);
  const generated = new Set(JSON.parse(read(service, '.projen/files.json')).files as string[]);
  const owners = [...changed, ...untracked].map((f) => [f, ownerOf(f, generated)]);
  expect(owners.filter(([f, owner]) => owner === 'service' && f !== '.projenrc.ts')).toEqual([]);
  const rcDiff = git(service, 'diff', '-U0', stampedCommit, '--', '.projenrc.ts').split('\n').filter((l) => /^[-+][^-+]/.test(l));
  expect(rcDiff).toEqual(["-    monitoring: { processNames: ['gunicorn'] },", "+    monitoring: { processes: ['gunicorn'] },"]);
  expect(upgrade.stdout).toContain('`service.monitoring.processNames` → `service.monitoring.processes` (Slipway 2.0.0): rewritten at line');
});

test("the template's v2 files are in place, and the service's own edits are intact", () => {
  for (const file of [CHANGED_SRC, CHANGED_ACTION, CHANGED_ROLE, ADDED, 'src/spec/deprecations.ts']) expect(read(service, file)).toBe(read(template, file));
  expect(existsSync(join(service, REMOVED))).toBe(false);
  const rc = read(service, '.projenrc.ts');
  expect(rc).toContain("serviceName: 'orders-api'");
  expect(rc).toContain("owner: 'acme'");
  expect(rc).toContain('hosts: { count: 3,');
  expect(read(service, 'app/app.py')).toContain('# orders-api: our own route table lives here');
  expect(read(service, 'app/ORDERS.md')).toBe('The orders service.\n');
  expect(JSON.parse(read(service, '.slipway/spec.json')).serviceName).toBe('orders-api');
});

test('the record names v2 and its commit, with the added file and without the removed one', () => {
  const record = parseRecord(read(service, '.slipway/platform.json'));
  expect(record.template.version).toBe('v2.0.0');
  expect(record.template.commit).toBe(git(template, 'rev-parse', 'v2.0.0^{commit}'));
  expect(record.repository).toBe('acme/orders-api');
  expect(record.files[ADDED]).toMatch(/^[0-9a-f]{64}$/);
  expect(record.files[REMOVED]).toBeUndefined();
});

test('a local edit to a platform file makes the build check and the upgrade refuse, naming the file', () => {
  commitAll(service, 'Upgrade the Slipway platform');
  appendTo(service, CHANGED_ROLE, '\n# a local tweak\n');
  const check = projen(service, 'check:platform');
  expect(check.status).not.toBe(0);
  expect(check.stderr).toContain(`${CHANGED_ROLE} (edited)`);
  expect(check.stderr).toContain('Propose the change to the template repository');
  expect(check.stderr).toContain('Take the next template version');

  const refused = projen(service, 'upgrade-platform', '--source', template, '--no-checks');
  expect(refused.status).not.toBe(0);
  expect(refused.stderr).toContain('upgrade refused, nothing was changed');
  expect(refused.stderr).toContain(`${CHANGED_ROLE} (edited)`);
  expect(git(service, 'status', '--porcelain')).toBe(`M ${CHANGED_ROLE}`);
});
