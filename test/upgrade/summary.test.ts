import type { UpgradePlan } from '../../src/upgrade/plan';
import { isEmptyPlan, renderSummary } from '../../src/upgrade/summary';

const plan: UpgradePlan = {
  added: ['src/new.ts'],
  changed: ['src/main.ts'],
  removed: ['ansible/README.md'],
  sharedTaken: ['package-lock.json'],
  modeChanged: [],
  record: { schemaVersion: 1, role: 'service', repository: 'acme/orders-api', template: { source: '/t', version: 'v2.0.0', commit: null }, files: {}, executables: [], shared: {} },
};

test('the table lists every file by what happened to it, then the renames and the changelog', () => {
  const text = renderSummary({
    from: { source: '/t', version: 'v1.0.0', commit: null },
    to: { source: '/t', version: 'v2.0.0', commit: 'abcdef0123456789abcdef0123456789abcdef01' },
    plan,
    changelog: [{ heading: '2.0.0', date: '2026-12-02', body: '- renamed an option' }],
    renames: [
      { from: 'monitoring.processNames', to: 'monitoring.processes', since: '2.0.0', outcome: { line: 33 } },
      { from: 'alarmEmail', to: 'alarms.email', since: '2.0.0', outcome: { edit: 'in .projenrc.ts, move the value of service.alarmEmail to service.alarms.email' } },
    ],
    regenerated: ['.projen/tasks.json'],
    serviceChecks: 'passed',
  });
  expect(text).toContain('## Slipway platform upgrade: v1.0.0 → v2.0.0 (abcdef012345)');
  expect(text).toContain('1 added, 1 changed, 1 removed, 1 regenerated');
  expect(text).toContain('Service checks (`npx projen test:service`): passed');
  for (const row of ['| added | `src/new.ts` |', '| changed | `src/main.ts` |', '| removed | `ansible/README.md` |', '| taken from the template | `package-lock.json` |', '| regenerated | `.projen/tasks.json` |']) {
    expect(text).toContain(row);
  }
  expect(text).toContain('`service.monitoring.processNames` → `service.monitoring.processes` (Slipway 2.0.0): rewritten at line 33');
  expect(text).toContain('not rewritten: in .projenrc.ts, move the value of service.alarmEmail to service.alarms.email');
  expect(text).toContain('#### 2.0.0 (2026-12-02)\n\n- renamed an option');
});

test('an empty plan is empty, and says so in the table', () => {
  const empty = { ...plan, added: [], changed: [], removed: [], sharedTaken: [] };
  expect(isEmptyPlan(empty)).toBe(true);
  expect(isEmptyPlan(plan)).toBe(false);
  const text = renderSummary({ from: plan.record.template, to: plan.record.template, plan: empty, changelog: [], renames: [], regenerated: [], serviceChecks: 'skipped' });
  expect(text).toContain('| (none) | |');
  expect(text).toContain('(no CHANGELOG.md entries between these versions)');
});
