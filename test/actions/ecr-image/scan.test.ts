import { DescribeImageScanFindingsCommand, ECRClient } from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import { evaluateFindings, fromBasic, fromEnhanced, normaliseSeverity, renderGate } from '../../../actions/ecr-image/src/findings';
import { classifyScan, waitForScan } from '../../../actions/ecr-image/src/scan';
import { ManualClock } from '../../../actions/shared/time';

const DIGEST = `sha256:${'b'.repeat(64)}`;
const ecr = mockClient(ECRClient);
afterEach(() => ecr.reset());
afterAll(() => ecr.restore());

function scanDeps(clock = new ManualClock()): Parameters<typeof waitForScan>[1] {
  return { ecr: new ECRClient({ region: 'eu-west-1' }), runner: { info: () => undefined }, clock, sleep: clock.sleep, random: () => 0 };
}
const REQUEST = { repository: 'flask-app', imageDigest: DIGEST, timeoutMs: 120_000, intervalMs: 10_000 };

describe('classifyScan', () => {
  test.each([
    [{ imageScanStatus: { status: 'IN_PROGRESS' } }, { kind: 'wait', state: 'IN_PROGRESS' }],
    [{ imageScanStatus: { status: 'PENDING' } }, { kind: 'wait', state: 'PENDING' }],
    [{ imageScanStatus: { status: 'COMPLETE' } }, { kind: 'wait', state: 'COMPLETE (findings not yet available)' }],
    [{ imageScanStatus: { status: 'ACTIVE' } }, { kind: 'wait', state: 'ACTIVE (findings not yet available)' }],
    [{ imageScanStatus: { status: 'COMPLETE' }, imageScanFindings: { findings: [] } }, { kind: 'ready' }],
    [{ imageScanStatus: { status: 'ACTIVE' }, imageScanFindings: { enhancedFindings: [] } }, { kind: 'ready' }],
    [{ imageScanStatus: { status: 'FAILED', description: 'boom' } }, { kind: 'failed', reason: 'the scan failed: boom' }],
    [{ imageScanStatus: { status: 'UNSUPPORTED_IMAGE', description: 'UnsupportedImageError' } },
      { kind: 'failed', reason: "ECR cannot scan this image (UNSUPPORTED_IMAGE: UnsupportedImageError); set 'scan-severity-threshold: NONE' to build it without a scan gate" }],
    [{ imageScanStatus: { status: 'FINDINGS_UNAVAILABLE' } }, { kind: 'failed', reason: 'the scan reported FINDINGS_UNAVAILABLE' }],
    [{ imageScanStatus: { status: 'SCAN_ELIGIBILITY_EXPIRED' } }, { kind: 'failed', reason: 'the scan reported SCAN_ELIGIBILITY_EXPIRED' }],
    [{ imageScanStatus: { status: 'LIMIT_EXCEEDED' } }, { kind: 'failed', reason: 'the scan reported LIMIT_EXCEEDED' }],
    [{ imageScanStatus: { status: 'IMAGE_ARCHIVED' } }, { kind: 'failed', reason: 'the scan reported IMAGE_ARCHIVED' }],
    [{}, { kind: 'failed', reason: 'DescribeImageScanFindings returned no imageScanStatus.status' }],
    [{ imageScanStatus: { status: 'SOMETHING_NEW' } }, { kind: 'failed', reason: "the scan reported status 'SOMETHING_NEW', which this action does not know, so it fails closed" }],
  ])('%j → %j', (answer, expected) => {
    expect(classifyScan(answer as never)).toEqual(expected);
  });
});

describe('waitForScan', () => {
  test('waits through not-started, in-progress and COMPLETE-before-findings, then reads every page', async () => {
    const clock = new ManualClock();
    ecr.on(DescribeImageScanFindingsCommand)
      .rejectsOnce(Object.assign(new Error('scan not found'), { name: 'ScanNotFoundException' }))
      .resolvesOnce({ imageScanStatus: { status: 'IN_PROGRESS' } })
      .resolvesOnce({ imageScanStatus: { status: 'COMPLETE' } })
      .resolvesOnce({ imageScanStatus: { status: 'COMPLETE' }, imageScanFindings: { findings: [{ name: 'CVE-1', severity: 'HIGH' }] }, nextToken: 'p2' })
      .resolvesOnce({ imageScanStatus: { status: 'COMPLETE' }, imageScanFindings: { findings: [{ name: 'CVE-2', severity: 'LOW' }] } });
    const findings = await waitForScan(REQUEST, scanDeps(clock));
    expect(findings.map((f) => `${f.id}:${f.severity}`)).toEqual(['CVE-1:HIGH', 'CVE-2:LOW']);
    expect(clock.sleeps).toEqual([10_000, 10_000, 10_000]);
    expect(ecr.commandCalls(DescribeImageScanFindingsCommand).at(-1)!.args[0].input).toMatchObject({ repositoryName: 'flask-app', imageId: { imageDigest: DIGEST }, nextToken: 'p2' });
  });

  test('a scan that never starts times out with a hint to turn scanning on', async () => {
    ecr.on(DescribeImageScanFindingsCommand).rejects(Object.assign(new Error('scan not found'), { name: 'ScanNotFoundException' }));
    await expect(waitForScan(REQUEST, scanDeps())).rejects.toThrow(
      `the scan of flask-app@${DIGEST} did not finish within 2m: no scan started: turn on scan on push (basic scanning) or enhanced scanning for repository 'flask-app', or set 'scan-severity-threshold: NONE'.`,
    );
  });

  test('a slow scan times out naming the last state', async () => {
    ecr.on(DescribeImageScanFindingsCommand).resolves({ imageScanStatus: { status: 'PENDING' } });
    await expect(waitForScan(REQUEST, scanDeps())).rejects.toThrow('the last state seen was PENDING; raise scan-timeout-minutes');
  });

  test('a failed scan fails at once; throttling backs off; other errors propagate', async () => {
    ecr.on(DescribeImageScanFindingsCommand)
      .rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }))
      .resolvesOnce({ imageScanStatus: { status: 'FAILED', description: 'bad layer' } });
    await expect(waitForScan(REQUEST, scanDeps())).rejects.toThrow(`flask-app@${DIGEST}: the scan failed: bad layer`);
    const denied = Object.assign(new Error('denied'), { name: 'AccessDeniedException' });
    ecr.on(DescribeImageScanFindingsCommand).rejects(denied);
    await expect(waitForScan(REQUEST, scanDeps())).rejects.toThrow('ECR DescribeImageScanFindings failed: AccessDeniedException: denied');
  });
});

describe('findings and the gate', () => {
  test('basic and enhanced findings normalise; suppressed ones drop; unknown severities fail closed', () => {
    expect(fromBasic({ name: 'CVE-1', severity: 'HIGH', uri: 'https://x/1', attributes: [{ key: 'package_name', value: 'openssl' }, { key: 'package_version', value: '3.0' }] }, DIGEST))
      .toEqual({ id: 'CVE-1', severity: 'HIGH', packageName: 'openssl 3.0', url: 'https://x/1', imageDigest: DIGEST });
    expect(fromEnhanced({
      severity: 'CRITICAL',
      status: 'ACTIVE',
      packageVulnerabilityDetails: { vulnerabilityId: 'CVE-2', source: 'NVD', sourceUrl: 'https://nvd/2', vulnerablePackages: [{ name: 'zlib', version: '1.2' }] },
    }, DIGEST)).toEqual({ id: 'CVE-2', severity: 'CRITICAL', packageName: 'zlib 1.2', url: 'https://nvd/2', imageDigest: DIGEST });
    expect(fromEnhanced({ severity: 'HIGH', status: 'SUPPRESSED', title: 'x' }, DIGEST)).toBeUndefined();
    expect(normaliseSeverity('UNTRIAGED', 'x')).toBe('UNDEFINED');
    expect(() => normaliseSeverity('SEVERE', 'CVE-9')).toThrow("scan finding CVE-9 has severity 'SEVERE', which this action does not know, so it fails closed");
  });

  test('threshold counts at-or-above after ignore-cves, and reports stale ignores', () => {
    const f = (id: string, severity: 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW' | 'UNDEFINED'): ReturnType<typeof fromBasic> => ({ id, severity, imageDigest: DIGEST });
    const findings = [f('CVE-1', 'CRITICAL'), f('CVE-2', 'HIGH'), f('CVE-3', 'MEDIUM'), f('CVE-4', 'LOW'), f('CVE-5', 'UNDEFINED')];
    const gate = evaluateFindings(findings, 'HIGH', new Set(['CVE-2', 'CVE-404']));
    expect(gate.blocking.map((x) => x.id)).toEqual(['CVE-1']);
    expect(gate.counts).toEqual({ CRITICAL: 1, HIGH: 0, MEDIUM: 1, LOW: 1, INFORMATIONAL: 0, UNDEFINED: 1 });
    expect(gate.ignored.map((x) => x.id)).toEqual(['CVE-2']);
    expect(gate.unusedIgnores).toEqual(['CVE-404']);
    expect(gate.below.map((x) => x.id)).toEqual(['CVE-3', 'CVE-4', 'CVE-5']);
    expect(evaluateFindings(findings, 'LOW', new Set()).blocking.map((x) => x.id)).toEqual(['CVE-1', 'CVE-2', 'CVE-3', 'CVE-4']);
    expect(evaluateFindings(findings, 'CRITICAL', new Set(['CVE-1'])).blocking).toEqual([]);

    const md = renderGate('r/flask-app:abc', gate).render();
    expect(md).toContain('### Image scan: FAILED (threshold HIGH)');
    expect(md).toContain('| CRITICAL | CVE-1 |  | sha256:bbbbbbbbbbbb |');
    expect(md).toContain('<details><summary>Ignored (1)</summary>');
    expect(md).toContain('<details><summary>Findings below HIGH or unrated (3)</summary>');
    expect(md).toContain('| MEDIUM | CVE-3 |  | sha256:bbbbbbbbbbbb |');
    const many = Array.from({ length: 205 }, (_, i) => f(`CVE-${1000 + i}`, 'LOW'));
    expect(renderGate('r', evaluateFindings(many, 'HIGH', new Set())).render()).toContain('| … | 5 more (see the ECR console) |  |  |');
    expect(md).toContain('ignore-cves entries that matched nothing: CVE-404');
  });
});
