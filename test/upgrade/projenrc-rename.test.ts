import { renameInProjenrc } from '../../src/upgrade/projenrc-rename';

const rename = { since: '2.0.0', option: 'monitoring.processNames', renamedTo: 'monitoring.processes' };

const rc = [
  "import { SlipwayProject } from './src/projen';",
  '// processNames: a comment that must stay as it is',
  'const project = new SlipwayProject({',
  '  service: {',
  "    serviceName: 'orders-api',",
  "    monitoring: { processNames: ['gunicorn'] }, // our worker",
  '  },',
  '});',
  'project.synth();',
].join('\n');

test('renames the key under service at that path, and nothing else', () => {
  const result = renameInProjenrc(rc, rename);
  expect(result).toEqual({ kind: 'renamed', line: 6, text: rc.replace("{ processNames: ['gunicorn'] }", "{ processes: ['gunicorn'] }") });
});

test('a quoted key stays quoted', () => {
  const result = renameInProjenrc(rc.replace('{ processNames: [', "{ 'processNames': ["), rename);
  expect(result.kind === 'renamed' && result.text).toContain("{ 'processes': ['gunicorn'] }");
});

test('absent when the option is not written there (a key of the same name elsewhere is left alone)', () => {
  const other = rc.replace("monitoring: { processNames: ['gunicorn'] },", "pipeline: { processNames: ['x'] },");
  expect(renameInProjenrc(other, rename)).toEqual({ kind: 'absent' });
});

test('the edit to make when there is no service object literal to rewrite', () => {
  expect(renameInProjenrc('const service = options(); new SlipwayProject({ service });', rename)).toEqual({
    kind: 'manual',
    edit: 'in .projenrc.ts, rename the key processNames: to processes: inside monitoring: { … }',
  });
});

test('a move to another object is left to the user, with the edit', () => {
  const move = { since: '3.0.0', option: 'monitoring.processNames', renamedTo: 'hosts.processes' };
  expect(renameInProjenrc(rc, move)).toEqual({ kind: 'manual', edit: 'in .projenrc.ts, move the value of service.monitoring.processNames to service.hosts.processes' });
});
