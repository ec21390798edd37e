import { PlatformRecord, parseRecord, renderRecord, sourceOf } from '../../src/upgrade/record';

const record: PlatformRecord = {
  schemaVersion: 1,
  role: 'service',
  repository: 'acme/orders-api',
  template: { source: 'https://github.com/acme/slipway.git', version: 'v1.2.0', commit: 'a'.repeat(40) },
  files: { 'src/b.ts': 'b'.repeat(64), 'src/a.ts': 'a'.repeat(64) },
  executables: ['.ci/run'],
  shared: { 'package-lock.json': 'c'.repeat(64) },
};

test('renders stably (files sorted) and parses back to the same record', () => {
  const text = renderRecord(record);
  expect(text.indexOf('src/a.ts')).toBeLessThan(text.indexOf('src/b.ts'));
  expect(text.endsWith('}\n')).toBe(true);
  expect(parseRecord(text)).toEqual(record);
  expect(renderRecord(parseRecord(text))).toBe(text);
});

test.each([
  ['not json', 'not valid JSON'],
  [JSON.stringify({ ...record, schemaVersion: 2 }), 'schemaVersion 2 is not 1'],
  [JSON.stringify({ ...record, role: 'fork' }), "role must be 'template' or 'service'"],
  [JSON.stringify({ ...record, repository: 'orders-api' }), "a GitHub owner/repo such as 'my-org/orders-api'"],
  [JSON.stringify({ ...record, files: { 'src/a.ts': 'xyz' } }), "files['src/a.ts'] must be a sha256 hex checksum"],
  [JSON.stringify({ ...record, template: { ...record.template, commit: 'abc' } }), 'template.commit must be a full 40-hex commit'],
])('rejects %s with a message that says what to write', (text, message) => {
  expect(() => parseRecord(text)).toThrow(message);
});

test('the template source defaults to the template repository on GitHub', () => {
  expect(sourceOf({ template: { source: null, version: null, commit: null } }, 'slipway-dev/flask-app')).toBe('https://github.com/slipway-dev/flask-app.git');
  expect(sourceOf(record, 'x/y')).toBe('https://github.com/acme/slipway.git');
});
