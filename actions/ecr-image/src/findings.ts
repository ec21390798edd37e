/**
 * Scan findings from basic and enhanced (Inspector) scanning, normalised to
 * one shape, then judged against the threshold after ignore-cves. Pure.
 */
import { EnhancedImageScanFinding, ImageScanFinding } from '@aws-sdk/client-ecr';
import { Threshold } from './inputs';
import { ActionError, Cell, SummaryWriter, link } from '../../shared';

export const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL', 'UNDEFINED'] as const;
export type Severity = (typeof SEVERITIES)[number];

const RANK: Readonly<Record<Severity, number>> = { CRITICAL: 4, HIGH: 3, MEDIUM: 2, LOW: 1, INFORMATIONAL: 0, UNDEFINED: 0 };
const THRESHOLD_RANK: Readonly<Record<Exclude<Threshold, 'NONE'>, number>> = { CRITICAL: 4, HIGH: 3, MEDIUM: 2, LOW: 1 };

export interface Finding {
  /** The vulnerability id, e.g. CVE-2024-12345. */
  readonly id: string;
  readonly severity: Severity;
  readonly packageName?: string;
  readonly url?: string;
  /** Which image manifest it was found in (multi-platform images have several). */
  readonly imageDigest: string;
}

/** Known severities, with Inspector's UNTRIAGED as UNDEFINED; anything else fails closed. */
export function normaliseSeverity(severity: string | undefined, id: string): Severity {
  if (severity === undefined || severity === 'UNTRIAGED') return 'UNDEFINED';
  const known = SEVERITIES.find((s) => s === severity.toUpperCase());
  if (!known) throw new ActionError(`scan finding ${id} has severity '${severity}', which this action does not know, so it fails closed`);
  return known;
}

export function fromBasic(finding: ImageScanFinding, imageDigest: string): Finding {
  const id = finding.name ?? '(unnamed finding)';
  const attribute = (key: string): string | undefined => finding.attributes?.find((a) => a.key === key)?.value;
  const pkg = [attribute('package_name'), attribute('package_version')].filter(Boolean).join(' ');
  return { id, severity: normaliseSeverity(finding.severity, id), packageName: pkg || undefined, url: finding.uri, imageDigest };
}

/** Enhanced findings that are SUPPRESSED or CLOSED in Inspector do not count. */
export function fromEnhanced(finding: EnhancedImageScanFinding, imageDigest: string): Finding | undefined {
  if (finding.status && finding.status !== 'ACTIVE') return undefined;
  const details = finding.packageVulnerabilityDetails;
  const id = details?.vulnerabilityId ?? finding.title ?? finding.findingArn ?? '(unnamed finding)';
  const pkg = details?.vulnerablePackages?.map((p) => [p.name, p.version].filter(Boolean).join(' ')).join(', ');
  return { id, severity: normaliseSeverity(finding.severity, id), packageName: pkg || undefined, url: details?.sourceUrl, imageDigest };
}

export interface GateResult {
  readonly threshold: Exclude<Threshold, 'NONE'>;
  /** Findings not ignored, per severity. */
  readonly counts: Readonly<Record<Severity, number>>;
  /** Findings at or above the threshold and not ignored: each one fails the gate. */
  readonly blocking: readonly Finding[];
  /** Findings below the threshold (or unrated) and not ignored, most severe first. */
  readonly below: readonly Finding[];
  readonly ignored: readonly Finding[];
  /** ignore-cves entries that matched nothing (stale ignores are worth removing). */
  readonly unusedIgnores: readonly string[];
}

export function evaluateFindings(findings: readonly Finding[], threshold: Exclude<Threshold, 'NONE'>, ignore: ReadonlySet<string>): GateResult {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const ignored = findings.filter((f) => ignore.has(f.id.toUpperCase()));
  const kept = findings.filter((f) => !ignore.has(f.id.toUpperCase()));
  for (const f of kept) counts[f.severity]++;
  const bySeverity = (a: Finding, b: Finding): number => RANK[b.severity] - RANK[a.severity] || a.id.localeCompare(b.id);
  const blocks = (f: Finding): boolean => RANK[f.severity] >= THRESHOLD_RANK[threshold] && f.severity !== 'INFORMATIONAL' && f.severity !== 'UNDEFINED';
  const blocking = kept.filter(blocks).sort(bySeverity);
  const below = kept.filter((f) => !blocks(f)).sort(bySeverity);
  const matched = new Set(ignored.map((f) => f.id.toUpperCase()));
  return { threshold, counts, blocking, below, ignored, unusedIgnores: [...ignore].filter((id) => !matched.has(id)) };
}

/** "2 CRITICAL, 1 HIGH" style. */
export function describeCounts(counts: Readonly<Record<Severity, number>>): string {
  const parts = SEVERITIES.filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}`);
  return parts.length > 0 ? parts.join(', ') : 'no findings';
}

/** Rows for at most `MAX_ROWS` findings: the job summary is capped at 1 MiB per step. */
const MAX_ROWS = 200;

function findingRows(findings: readonly Finding[]): Cell[][] {
  const rows: Cell[][] = findings.slice(0, MAX_ROWS).map((f) => [f.severity, f.url ? { markdown: link(f.id, f.url) } : f.id, f.packageName ?? '', f.imageDigest.slice(0, 19)]);
  if (findings.length > MAX_ROWS) rows.push(['…', `${findings.length - MAX_ROWS} more (see the ECR console)`, '', '']);
  return rows;
}

/** Job summary: counts, the blocking findings, and what was ignored. */
export function renderGate(imageUri: string, gate: GateResult): SummaryWriter {
  const writer = new SummaryWriter()
    .heading(`Image scan: ${gate.blocking.length > 0 ? 'FAILED' : 'passed'} (threshold ${gate.threshold})`)
    .paragraph(`${imageUri}: ${describeCounts(gate.counts)}${gate.ignored.length > 0 ? `; ${gate.ignored.length} ignored by ignore-cves` : ''}.`)
    .table(['Severity', 'Count'], SEVERITIES.map((s) => [s, String(gate.counts[s])]));
  if (gate.blocking.length > 0) {
    writer.heading(`Findings at or above ${gate.threshold}`, 4).table(['Severity', 'Vulnerability', 'Package', 'Image'], findingRows(gate.blocking));
  }
  if (gate.below.length > 0) {
    const table = new SummaryWriter().table(['Severity', 'Vulnerability', 'Package', 'Image'], findingRows(gate.below)).render();
    writer.details(`Findings below ${gate.threshold} or unrated (${gate.below.length})`, table);
  }
  if (gate.ignored.length > 0) {
    writer.details(`Ignored (${gate.ignored.length})`, new SummaryWriter().table(['Severity', 'Vulnerability', 'Package', 'Image'], findingRows(gate.ignored)).render());
  }
  if (gate.unusedIgnores.length > 0) writer.paragraph(`ignore-cves entries that matched nothing: ${gate.unusedIgnores.join(', ')}`);
  return writer;
}
