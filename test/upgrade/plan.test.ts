import { planUpgrade } from '../../src/upgrade/plan';
import type { PlatformRecord } from '../../src/upgrade/record';
import type { Tree, TreeFile } from '../../src/upgrade/tree';

const h = (c: string) => c.repeat(64);
const file = (c: string, executable = false): TreeFile => ({ checksum: h(c), executable });

function tree(platform: Record<string, TreeFile>, shared: Record<string, TreeFile> = {}, generated: string[] = []): Tree {
  return { platform: new Map(Object.entries(platform)), shared: new Map(Object.entries(shared)), generated: new Set(generated) };
}

const record: PlatformRecord = {
  schemaVersion: 1,
  role: 'service',
  repository: 'acme/orders-api',
  template: { source: '/t', version: 'v1.0.0', commit: null },
  files: { 'src/a.ts': h('a'), 'src/b.ts': h('b'), '.ci/run': h('c'), 'ansible/README.md': h('d') },
  executables: ['.ci/run'],
  shared: { 'package-lock.json': h('1') },
};
const local = tree({ 'src/a.ts': file('a'), 'src/b.ts': file('b'), '.ci/run': file('c', true), 'ansible/README.md': file('d') }, { 'package-lock.json': file('9') });
const target = { source: '/t', version: 'v2.0.0', commit: 'e'.repeat(40) };

test('replaces what changed, adds what is new, removes what is gone, and records the new version', () => {
  const next = tree({ 'src/a.ts': file('a'), 'src/b.ts': file('f'), '.ci/run': file('c', false), 'src/new.ts': file('n') }, { 'package-lock.json': file('1') });
  const result = planUpgrade(record, local, next, target);
  expect(result.kind).toBe('plan');
  if (result.kind !== 'plan') return;
  expect(result.plan).toMatchObject({ added: ['src/new.ts'], changed: ['src/b.ts'], removed: ['ansible/README.md'], modeChanged: ['.ci/run'], sharedTaken: [] });
  expect(result.plan.record.template).toEqual(target);
  expect(Object.keys(result.plan.record.files).sort()).toEqual(['.ci/run', 'src/a.ts', 'src/b.ts', 'src/new.ts']);
  expect(result.plan.record.executables).toEqual([]);
});

test("the lock file is the template's only when the template changed it; the service's own otherwise", () => {
  const unchanged = planUpgrade(record, local, tree({ ...Object.fromEntries(local.platform) }, { 'package-lock.json': file('1') }), target);
  const changed = planUpgrade(record, local, tree({ ...Object.fromEntries(local.platform) }, { 'package-lock.json': file('2') }), target);
  expect(unchanged.kind === 'plan' && unchanged.plan.sharedTaken).toEqual([]);
  expect(changed.kind === 'plan' && changed.plan.sharedTaken).toEqual(['package-lock.json']);
});

test('refuses, with every edited file, when platform files differ from the record', () => {
  const edited = tree({ ...Object.fromEntries(local.platform), 'src/a.ts': file('x'), 'src/extra.ts': file('y') });
  expect(planUpgrade(record, edited, local, target)).toEqual({ kind: 'refused', drift: { edited: ['src/a.ts'], deleted: [], added: ['src/extra.ts'] } });
});

test('a file the next version generates is left to projen, not compared', () => {
  const next = tree({ 'src/a.ts': file('a'), 'src/b.ts': file('b'), '.ci/run': file('c', true) }, {}, ['ansible/README.md']);
  const result = planUpgrade(record, local, next, target);
  expect(result.kind === 'plan' && result.plan.removed).toEqual([]);
});
