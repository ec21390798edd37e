import { readFileSync } from 'fs';
import { join } from 'path';
import Ajv from 'ajv';
import type { Result } from 'sarif';
import { apiFinding, findingsDocument } from './pipeline-scan-server';
import { parseFindingsDocument } from '../../../actions/veracode-scan/src/findings';
import { artifactUri, buildSarif, plainText, sarifLevel } from '../../../actions/veracode-scan/src/sarif';

// The OASIS SARIF 2.1.0 schema as shipped by @microsoft/jest-sarif; it is written in JSON Schema draft-04.
const schemaPath = join(require.resolve('@microsoft/jest-sarif/package.json'), '..', 'lib', 'schemas', 'sarif-2.1.0-rtm.5.json');
const draft04 = JSON.parse(readFileSync(require.resolve('ajv/lib/refs/json-schema-draft-04.json'), 'utf8'));
const ajv = new Ajv({ allErrors: true, schemaId: 'auto' });
ajv.addMetaSchema(draft04);
const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')));

function sarifFor(findings: unknown[]) {
  const parsed = parseFindingsDocument(findingsDocument('scan-1', findings), 'test').findings;
  return buildSarif(parsed, { toolVersion: '1.0.0', artifactName: 'app.zip', scanId: 'scan-1' });
}

describe('SARIF output', () => {
  test('validates against the SARIF 2.1.0 schema', () => {
    const log = sarifFor([
      apiFinding({ severity: 5, cwe: 79, file: 'src/app.js', line: 3, flawHash: '42' }),
      apiFinding({ severity: 3, cwe: 79, file: './src/other.ts', line: 7 }),
      apiFinding({ severity: 1, cwe: 117 }),
    ]);
    const ok = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  test('the validator rejects what GitHub would (wrong version, result without message)', () => {
    const log = sarifFor([apiFinding({ severity: 5, cwe: 79, file: 'a.js', line: 1 })]);
    expect(validate({ ...log, version: '2.0.0' })).toBe(false);
    const broken = JSON.parse(JSON.stringify(log));
    delete broken.runs[0].results[0].message;
    expect(validate(broken)).toBe(false);
  });

  test('an empty scan is still a valid log with one run', () => {
    const log = sarifFor([]);
    expect(validate(log)).toBe(true);
    expect(log.runs[0].results).toEqual([]);
  });

  test('one rule per CWE, levels from severity, file and line locations', () => {
    const log = sarifFor([
      apiFinding({ severity: 5, cwe: 79, file: 'src/app.js', line: 3 }),
      apiFinding({ severity: 3, cwe: 79, file: 'src\\win.js', line: 7 }),
      apiFinding({ severity: 2, cwe: 89, file: 'db.js', line: 1 }),
    ]);
    const run = log.runs[0];
    expect(run.tool.driver.rules!.map((r) => [r.id, r.defaultConfiguration?.level, r.properties?.['security-severity']])).toEqual([
      ['CWE-79', 'error', '9.5'],
      ['CWE-89', 'note', '3.9'],
    ]);
    expect(run.tool.driver.rules![0].properties?.tags).toEqual(['security', 'external/cwe/cwe-79']);
    const where = (r: Result) => r.locations![0].physicalLocation!;
    expect(run.results!.map((r) => [r.ruleId, r.ruleIndex, r.level, where(r).artifactLocation!.uri, where(r).region?.startLine])).toEqual([
      ['CWE-79', 0, 'error', 'src/app.js', 3],
      ['CWE-79', 0, 'warning', 'src/win.js', 7],
      ['CWE-89', 1, 'note', 'db.js', 1],
    ]);
    expect(run.results![0].message.text).toBe('Very High: This call could allow CWE-79 & more.');
  });

  test('a finding without a source file points at the scanned artifact', () => {
    const log = sarifFor([apiFinding({ severity: 4, cwe: 502 })]);
    expect(log.runs[0].results![0].locations![0].physicalLocation).toEqual({ artifactLocation: { uri: 'app.zip' } });
  });

  test('helpers', () => {
    expect([5, 4, 3, 2, 1, 0].map(sarifLevel)).toEqual(['error', 'error', 'warning', 'note', 'note', 'note']);
    expect(plainText('<p>a &lt;b&gt;  <i>c</i></p>')).toBe('a <b> c');
    expect(artifactUri('./a/b.js')).toBe('a/b.js');
    expect(artifactUri('/abs/x.js')).toBe('abs/x.js');
  });
});

describe('where a finding points', () => {
  test("Veracode's 'UNKNOWN' file is no location: the result points at the artifact, and carries no line", () => {
    const log = buildSarif(parseFindingsDocument(findingsDocument('s', [apiFinding({ severity: 3, cwe: 79, file: 'UNKNOWN', line: 0 })]), 'test').findings, {
      toolVersion: '1', artifactName: 'app.zip',
    });
    expect(log.runs[0].results![0].locations).toEqual([{ physicalLocation: { artifactLocation: { uri: 'app.zip' } } }]);
  });

  test('sourceRoot prefixes package-relative paths', () => {
    const findings = parseFindingsDocument(findingsDocument('s', [apiFinding({ severity: 3, cwe: 79, file: './src/a.js', line: 2 })]), 'test').findings;
    const log = buildSarif(findings, { toolVersion: '1', artifactName: 'svc.zip', sourceRoot: 'services/svc' });
    expect(log.runs[0].results![0].locations![0].physicalLocation!.artifactLocation!.uri).toBe('services/svc/src/a.js');
  });
});
