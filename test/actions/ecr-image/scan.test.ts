import { DescribeImageScanFindingsCommand, ECRClient } from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import { FakeEcr, scanNotFound } from './fake-ecr';
import { BASIC_IN_PROGRESS, COMPLETED_AT, ENHANCED_ACTIVE_BEFORE_FINDINGS, ENHANCED_COMPLETE_BEFORE_FINDINGS, ENHANCED_PENDING, basicComplete, enhancedWithCritical } from './scan-shapes';
import { evaluateFindings, fromBasic, fromEnhanced, normaliseSeverity, renderGate } from '../../../actions/ecr-image/src/findings';
import { classifyScan, waitForScan } from '../../../actions/ecr-image/src/scan';
import { ScanType } from '../../../actions/ecr-image/src/scan-setup';
import { ManualClock } from '../../../actions/shared/time';
import { AwsErrorReply } from '../support/aws-json-server';

const DIGEST = `sha256:${'b'.repeat(64)}`;
let ecr = mockClient(ECRClient);
afterEach(() => ecr.reset());
afterAll(() => ecr.restore());

function scanDeps(clock = new ManualClock()): Parameters<typeof waitForScan>[1] {
  return { ecr: new ECRClient({ region: 'eu-west-1' }), runner: { info: () => undefined }, clock, sleep: clock.sleep, random: () => 0 };
}
const REQUEST = { repository: 'flask-app', imageDigest: DIGEST, timeoutMs: 120_000, intervalMs: 10_000 };

const AT = new Date(COMPLETED_AT * 1000);

describe('classifyScan', () => {
  test.each([
    [{ imageScanStatus: { status: 'IN_PROGRESS' } }, 'BASIC', { kind: 'wait', state: 'IN_PROGRESS' }],
    [{ imageScanStatus: { status: 'PENDING' } }, 'ENHANCED', { kind: 'wait', state: 'PENDING' }],
    [{ imageScanStatus: { status: 'COMPLETE' } }, 'BASIC', { kind: 'wait', state: 'COMPLETE (no results yet)' }],
    [{ imageScanStatus: { status: 'ACTIVE' } }, 'ENHANCED', { kind: 'wait', state: 'ACTIVE (no results yet)' }],
    // aws/aws-sdk#289 and aws/aws-cli#6759: the status is final, the findings are not there yet.
    [ENHANCED_COMPLETE_BEFORE_FINDINGS, 'ENHANCED', { kind: 'wait', state: 'COMPLETE (no results yet)' }],
    [ENHANCED_ACTIVE_BEFORE_FINDINGS, 'ENHANCED', { kind: 'wait', state: 'ACTIVE (no results yet)' }],
    [ENHANCED_ACTIVE_BEFORE_FINDINGS, undefined, { kind: 'wait', state: 'ACTIVE (no results yet)' }],
    [{ imageScanStatus: { status: 'COMPLETE' }, imageScanFindings: { findings: [] } }, 'BASIC', { kind: 'wait', state: 'COMPLETE (no results yet)' }],
    // Evidence of completion: a completion time (basic always sets it), or for enhanced the findings or their counts.
    [{ imageScanStatus: { status: 'COMPLETE' }, imageScanFindings: { imageScanCompletedAt: AT, findings: [] } }, 'BASIC', { kind: 'ready' }],
    [{ imageScanStatus: { status: 'ACTIVE' }, imageScanFindings: { imageScanCompletedAt: AT } }, 'ENHANCED', { kind: 'ready' }],
    [{ imageScanStatus: { status: 'ACTIVE' }, imageScanFindings: { enhancedFindings: [{ severity: 'LOW' }] } }, 'ENHANCED', { kind: 'ready' }],
    [{ imageScanStatus: { status: 'COMPLETE' }, imageScanFindings: { findingSeverityCounts: { HIGH: 2 } } }, undefined, { kind: 'ready' }],
    // Counts alone are not a basic scan's evidence: basic always reports imageScanCompletedAt.
    [{ imageScanStatus: { status: 'COMPLETE' }, imageScanFindings: { findingSeverityCounts: { HIGH: 2 } } }, 'BASIC', { kind: 'wait', state: 'COMPLETE (no results yet)' }],
    [{ imageScanStatus: { status: 'FAILED', description: 'boom' } }, 'BASIC', { kind: 'failed', reason: 'the scan failed: boom' }],
    [{ imageScanStatus: { status: 'UNSUPPORTED_IMAGE', description: 'UnsupportedImageError' } }, 'BASIC',
      { kind: 'failed', reason: "ECR cannot scan this image (UNSUPPORTED_IMAGE: UnsupportedImageError); set 'scan-severity-threshold: NONE' to build it without a scan gate" }],
    [{ imageScanStatus: { status: 'FINDINGS_UNAVAILABLE' } }, 'ENHANCED', { kind: 'failed', reason: 'the scan reported FINDINGS_UNAVAILABLE' }],
    [{ imageScanStatus: { status: 'SCAN_ELIGIBILITY_EXPIRED' } }, 'ENHANCED', { kind: 'failed', reason: 'the scan reported SCAN_ELIGIBILITY_EXPIRED' }],
    [{ imageScanStatus: { status: 'LIMIT_EXCEEDED' } }, 'ENHANCED', { kind: 'failed', reason: 'the scan reported LIMIT_EXCEEDED' }],
    [{ imageScanStatus: { status: 'IMAGE_ARCHIVED' } }, 'ENHANCED', { kind: 'failed', reason: 'the scan reported IMAGE_ARCHIVED' }],
    [{}, 'BASIC', { kind: 'failed', reason: 'DescribeImageScanFindings returned no imageScanStatus.status' }],
    [{ imageScanStatus: { status: 'SOMETHING_NEW' } }, 'BASIC', { kind: 'failed', reason: "the scan reported status 'SOMETHING_NEW', which this action does not know, so it fails closed" }],
  ])('%j (%s) → %j', (answer, scanType, expected) => {
    expect(classifyScan(answer as never, scanType as ScanType | undefined)).toEqual(expected);
  });
});

describe('waitForScan', () => {
  let fake: FakeEcr;
  beforeEach(() => {
    ecr.restore();
    fake = new FakeEcr();
    ecr = fake.mock();
  });

  test('basic: waits through not-started and in-progress, then reads every page', async () => {
    const clock = new ManualClock();
    fake.scanAnswers(DIGEST,
      scanNotFound('flask-app', DIGEST),
      BASIC_IN_PROGRESS,
      { ...basicComplete([{ name: 'CVE-1', severity: 'HIGH' }]), nextToken: 'p2' },
      basicComplete([{ name: 'CVE-2', severity: 'LOW' }]));
    const findings = await waitForScan({ ...REQUEST, scanType: 'BASIC' }, scanDeps(clock));
    expect(findings.map((f) => `${f.id}:${f.severity}`)).toEqual(['CVE-1:HIGH', 'CVE-2:LOW']);
    expect(clock.sleeps).toEqual([10_000, 10_000]);
    expect(ecr.commandCalls(DescribeImageScanFindingsCommand).at(-1)!.args[0].input).toMatchObject({ repositoryName: 'flask-app', imageId: { imageDigest: DIGEST }, nextToken: 'p2' });
  });

  test.each([
    ['aws/aws-sdk#289 (COMPLETE)', ENHANCED_COMPLETE_BEFORE_FINDINGS, 'COMPLETE' as const],
    ['aws/aws-cli#6759 (ACTIVE)', ENHANCED_ACTIVE_BEFORE_FINDINGS, 'ACTIVE' as const],
  ])('enhanced, %s with findings: [] first: keeps waiting, then returns the CRITICAL finding that arrives later', async (_name, before, status) => {
    const clock = new ManualClock();
    fake.scanAnswers(DIGEST, scanNotFound('flask-app', DIGEST), ENHANCED_PENDING, before, before, before, enhancedWithCritical(status));
    const findings = await waitForScan({ ...REQUEST, scanType: 'ENHANCED' }, scanDeps(clock));
    expect(findings).toEqual([expect.objectContaining({ id: 'CVE-2024-6387', severity: 'CRITICAL', packageName: 'openssh-server 1:9.2p1-2' })]);
    expect(clock.sleeps).toHaveLength(5);
  });

  test('enhanced: a status that stays final without results times out and fails, naming why', async () => {
    fake.scanAnswers(DIGEST, ENHANCED_COMPLETE_BEFORE_FINDINGS);
    await expect(waitForScan({ ...REQUEST, scanType: 'ENHANCED' }, scanDeps())).rejects.toThrow(
      `the scan of flask-app@${DIGEST} did not finish within 2m: ECR said COMPLETE but no results arrived (no imageScanCompletedAt, findings or severity counts;`,
    );
  });

  test('a scan that never starts times out with a hint to turn scanning on', async () => {
    await expect(waitForScan(REQUEST, scanDeps())).rejects.toThrow(
      `the scan of flask-app@${DIGEST} did not finish within 2m: no scan started: turn on scan on push (basic scanning) or enhanced scanning for repository 'flask-app', or set 'scan-severity-threshold: NONE'.`,
    );
  });

  test('a slow scan times out naming the last state', async () => {
    fake.scanAnswers(DIGEST, ENHANCED_PENDING);
    await expect(waitForScan(REQUEST, scanDeps())).rejects.toThrow('the last state seen was PENDING; raise scan-timeout-minutes');
  });

  test('a passing ECR server error is ridden out (a few in a row); one too many fails naming it', async () => {
    const unavailable = (): AwsErrorReply => new AwsErrorReply('ServiceUnavailableException', 'Service Unavailable', 503);
    fake.scanAnswers(DIGEST, BASIC_IN_PROGRESS, unavailable(), unavailable(), basicComplete([{ name: 'CVE-1', severity: 'LOW' }]));
    const lines: string[] = [];
    const clock = new ManualClock();
    const findings = await waitForScan({ ...REQUEST, scanType: 'BASIC' }, { ...scanDeps(clock), runner: { info: (l) => lines.push(l) } });
    expect(findings.map((f) => f.id)).toEqual(['CVE-1']);
    expect(lines).toContain('ECR DescribeImageScanFindings failed: ServiceUnavailableException: Service Unavailable (HTTP 503); retry 2 of 5 in 10s');
    fake.scanAnswers(DIGEST, ...Array.from({ length: 6 }, unavailable), basicComplete());
    await expect(waitForScan({ ...REQUEST, scanType: 'BASIC' }, scanDeps())).rejects.toThrow('ECR DescribeImageScanFindings failed: ServiceUnavailableException: Service Unavailable (HTTP 503)');
  });

  test('a failed scan fails at once; throttling backs off; other errors propagate', async () => {
    fake.scanAnswers(DIGEST, new AwsErrorReply('ThrottlingException', 'Rate exceeded'), { imageScanStatus: { status: 'FAILED', description: 'bad layer' } });
    await expect(waitForScan(REQUEST, scanDeps())).rejects.toThrow(`flask-app@${DIGEST}: the scan failed: bad layer`);
    fake.scanAnswers(DIGEST, new AwsErrorReply('AccessDeniedException', 'denied'));
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
