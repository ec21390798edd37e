import { normaliseServiceOptions } from '../../src/spec';
import { Deprecation, applyDeprecations, renameEdit } from '../../src/spec/deprecations';
import { seedOptions } from '../spec/fixtures';

const table: Deprecation[] = [
  { since: '2.0.0', option: 'monitoring.processNames', renamedTo: 'monitoring.processes' },
  { since: '2.1.0', option: 'hosts.legacyAmi', instead: "hosts: { imageId: 'ami-…' }" },
  { since: '3.0.0', option: 'alarmEmail', renamedTo: 'alarms.email' },
];

test('a rename moves the value to the new name without touching the input', () => {
  const input = { serviceName: 'x', monitoring: { processNames: ['gunicorn'], logFiles: [] } };
  const result = applyDeprecations(input, table);
  expect(result.options).toEqual({ serviceName: 'x', monitoring: { processes: ['gunicorn'], logFiles: [] } });
  expect(result.renamed).toEqual([{ since: '2.0.0', from: 'monitoring.processNames', to: 'monitoring.processes' }]);
  expect(result.problems).toEqual([]);
  expect(input.monitoring.processNames).toEqual(['gunicorn']);
});

test('a rename into another object creates it', () => {
  expect(applyDeprecations({ alarmEmail: 'a@example.com' }, table).options).toEqual({ alarms: { email: 'a@example.com' } });
});

test('a removed option still set is a problem that says what to delete and what to write instead', () => {
  const result = applyDeprecations({ hosts: { legacyAmi: true } }, table);
  expect(result.problems).toEqual([{ path: 'service.hosts.legacyAmi', message: "was removed in Slipway 2.1.0 (set here to true); delete it from .projenrc.ts; instead: hosts: { imageId: 'ami-…' }" }]);
});

test('a rename set under both names is a problem, and nothing is guessed', () => {
  const result = applyDeprecations({ monitoring: { processNames: ['a'], processes: ['b'] } }, table);
  expect(result.problems).toEqual([{ path: 'service.monitoring.processNames', message: 'was renamed to service.monitoring.processes in Slipway 2.0.0, and both are set; delete processNames: ["a"] from .projenrc.ts' }]);
  expect(result.options).toEqual({ monitoring: { processNames: ['a'], processes: ['b'] } });
});

test('options without deprecated names pass through as they are', () => {
  const input = seedOptions();
  expect(applyDeprecations(input, table).options).toBe(input);
});

test('the shipped table holds renames with a target or removals with advice, and the seed normalises through it', () => {
  const { DEPRECATIONS } = jest.requireActual<typeof import('../../src/spec/deprecations')>('../../src/spec/deprecations');
  for (const d of DEPRECATIONS) {
    expect(d.since).toMatch(/^\d+\.\d+\.\d+$/);
    expect(d.renamedTo !== undefined || d.instead !== undefined).toBe(true);
  }
  expect(normaliseServiceOptions(seedOptions()).serviceName).toBe(seedOptions().serviceName);
});

test('renameEdit says which key to rename where', () => {
  expect(renameEdit({ since: '2.0.0', option: 'monitoring.processNames', renamedTo: 'monitoring.processes' })).toBe(
    'in .projenrc.ts, rename the key processNames: to processes: inside monitoring: { … }',
  );
  expect(renameEdit({ since: '3.0.0', option: 'alarmEmail', renamedTo: 'alarms.email' })).toBe('in .projenrc.ts, move the value of service.alarmEmail to service.alarms.email');
});
