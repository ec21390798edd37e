/**
 * DescribeImageScanFindings answers as ECR sends them (JSON, timestamps in
 * epoch seconds), in the order a scan produces them. The "before" shapes are
 * the ones reported in aws/aws-sdk#289 (enhanced + scan on push: COMPLETE
 * with only `findings: []`) and aws/aws-cli#6759 (enhanced, continuous: ACTIVE
 * with only `findings: []`); the "after" shape is what follows once
 * Inspector's findings exist (ImageScanFindings in the ECR API reference).
 */
import { ACCOUNT } from './fake-ecr';

export const COMPLETED_AT = 1_718_530_000;

/** aws/aws-sdk#289: enhanced scanning, status COMPLETE, nothing but an empty basic findings list. */
export const ENHANCED_COMPLETE_BEFORE_FINDINGS = {
  imageScanFindings: { findings: [] },
  imageScanStatus: { status: 'COMPLETE', description: 'The scan was completed successfully.' },
};

/** aws/aws-cli#6759: enhanced continuous scanning, status ACTIVE, nothing but an empty basic findings list. */
export const ENHANCED_ACTIVE_BEFORE_FINDINGS = {
  imageScanFindings: { findings: [] },
  imageScanStatus: { status: 'ACTIVE', description: 'Continuous scan is selected for image.' },
};

export const ENHANCED_PENDING = { imageScanStatus: { status: 'PENDING', description: 'Enhanced scanning of the image is pending.' } };

/** The same image once Inspector has reported: one CRITICAL package vulnerability. */
export function enhancedWithCritical(status: 'ACTIVE' | 'COMPLETE' = 'ACTIVE'): Record<string, unknown> {
  return {
    imageScanFindings: {
      imageScanCompletedAt: COMPLETED_AT,
      vulnerabilitySourceUpdatedAt: COMPLETED_AT,
      findingSeverityCounts: { CRITICAL: 1 },
      enhancedFindings: [{
        awsAccountId: ACCOUNT,
        findingArn: `arn:aws:inspector2:eu-west-1:${ACCOUNT}:finding/0f1e2d3c4b5a69788796a5b4c3d2e1f0`,
        description: 'A signal handler race condition was found in sshd.',
        firstObservedAt: COMPLETED_AT,
        lastObservedAt: COMPLETED_AT,
        severity: 'CRITICAL',
        status: 'ACTIVE',
        title: 'CVE-2024-6387 - openssh-server',
        type: 'PACKAGE_VULNERABILITY',
        packageVulnerabilityDetails: {
          vulnerabilityId: 'CVE-2024-6387',
          source: 'DEBIAN_CVE',
          sourceUrl: 'https://security-tracker.debian.org/tracker/CVE-2024-6387',
          vulnerablePackages: [{ name: 'openssh-server', version: '1:9.2p1-2', packageManager: 'OS' }],
        },
      }],
    },
    imageScanStatus: { status, description: status === 'ACTIVE' ? 'Continuous scan is selected for image.' : 'The scan was completed successfully.' },
  };
}

/** Basic scanning, finished: imageScanCompletedAt is always set, even when there are no findings. */
export function basicComplete(findings: { name: string; severity: string }[] = []): Record<string, unknown> {
  const counts: Record<string, number> = {};
  for (const f of findings) counts[f.severity] = (counts[f.severity] ?? 0) + 1;
  return {
    imageScanFindings: {
      imageScanCompletedAt: COMPLETED_AT,
      vulnerabilitySourceUpdatedAt: COMPLETED_AT,
      ...(findings.length > 0 ? { findingSeverityCounts: counts } : {}),
      findings: findings.map((f) => ({ ...f, uri: `https://security-tracker.debian.org/tracker/${f.name}`, attributes: [] })),
    },
    imageScanStatus: { status: 'COMPLETE', description: 'The scan was completed successfully.' },
  };
}

export const BASIC_IN_PROGRESS = { imageScanStatus: { status: 'IN_PROGRESS' } };
