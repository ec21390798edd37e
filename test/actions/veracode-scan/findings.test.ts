import { apiFinding, findingsDocument } from './pipeline-scan-server';
import { Baseline, evaluate, parseCweList, parseFindingsDocument } from '../../../actions/veracode-scan/src/findings';

const doc = (findings: unknown[]) => parseFindingsDocument(findingsDocument('s1', findings), 'test');

describe('findings', () => {
  test('parses the API shape: severity, CWE, file and line, flaw hash', () => {
    const [f] = doc([apiFinding({ severity: 4, cwe: 79, file: 'src/app.js', line: 12, flawHash: '99' })]).findings;
    expect(f).toMatchObject({ severity: 4, cwe: 79, location: { file: 'src/app.js', line: 12, functionName: 'handler' }, flawHash: '99', flawHashOrdinal: 1 });
  });

  test('a document without findings is a failure, not an empty pass', () => {
    expect(() => parseFindingsDocument({ scan_id: 'x', scan_status: 'SUCCESS' }, 'the findings of scan x')).toThrow(
      /the findings of scan x has no 'findings' array; got an object with keys scan_id, scan_status. A scan without results is a failure/,
    );
  });

  test('malformed severities and CWEs are named', () => {
    expect(() => doc([{ severity: 9, cwe_id: '79' }])).toThrow(/finding #1 has severity 9; Veracode severities are whole numbers 0–5/);
    expect(() => doc([{ severity: 3, cwe_id: 'x' }])).toThrow(/finding #1 has cwe_id "x"/);
  });

  test('the threshold counts every finding and blocks at or above it', () => {
    const findings = doc([5, 4, 3, 2, 1, 0].map((severity, i) => apiFinding({ severity, cwe: 100 + i, file: 'a.js', line: i + 1 }))).findings;
    const high = evaluate(findings, { failOnSeverity: 'high', failOnCwe: [] });
    expect(high.blocking.map((f) => f.severity)).toEqual([5, 4]);
    expect(high.counts).toEqual({ 'very-high': 1, 'high': 1, 'medium': 1, 'low': 1, 'very-low': 1, 'informational': 1 });
    expect(evaluate(findings, { failOnSeverity: 'very-low', failOnCwe: [] }).blocking).toHaveLength(5);
    expect(evaluate(findings, { failOnSeverity: 'none', failOnCwe: [] }).blocking).toHaveLength(0);
  });

  test('fail-on-cwe narrows which findings can fail', () => {
    const findings = doc([apiFinding({ severity: 5, cwe: 79 }), apiFinding({ severity: 5, cwe: 89 }), apiFinding({ severity: 2, cwe: 89 })]).findings;
    const result = evaluate(findings, { failOnSeverity: 'high', failOnCwe: parseCweList('CWE-89, 22') });
    expect(result.blocking.map((f) => [f.cwe, f.severity])).toEqual([[89, 5]]);
  });

  test('fail-on-cwe accepts numbers and CWE ids, and rejects anything else by name', () => {
    expect(parseCweList(' 79,CWE-89\ncwe-22 ')).toEqual([79, 89, 22]);
    expect(parseCweList('')).toEqual([]);
    expect(() => parseCweList('79, XSS')).toThrow(/fail-on-cwe: 'XSS' is not a CWE id/);
  });

  test('the baseline accepts known findings by flaw hash (across line shifts) or by location', () => {
    const baseline = new Baseline(doc([apiFinding({ severity: 5, cwe: 79, file: 'a.js', line: 10, flawHash: 'h1' }), apiFinding({ severity: 5, cwe: 89, file: 'b.js', line: 5 })]).findings);
    const current = doc([
      apiFinding({ severity: 5, cwe: 79, file: 'a.js', line: 14, flawHash: 'h1' }), // moved: same flaw
      apiFinding({ severity: 5, cwe: 79, file: 'a.js', line: 10, flawHash: 'h2' }), // new flaw at the old line
      apiFinding({ severity: 5, cwe: 89, file: 'b.js', line: 5 }), // same location, no hash
      apiFinding({ severity: 5, cwe: 89, file: 'b.js', line: 6 }), // new
    ]).findings;
    const result = evaluate(current, { failOnSeverity: 'high', failOnCwe: [], baseline });
    expect(result.baselined.map((f) => f.location?.line)).toEqual([14, 5]);
    expect(result.blocking.map((f) => [f.cwe, f.location?.line])).toEqual([[79, 10], [89, 6]]);
  });
});
