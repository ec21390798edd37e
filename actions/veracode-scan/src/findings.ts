/**
 * Pipeline Scan findings: parsing the API's JSON defensively, severities,
 * the baseline and CWE filters, and the decision which findings fail the job.
 * Pure functions over data; no I/O.
 */
import { ActionError } from '../../shared/errors';

/** The action's severity names, highest first, with Veracode's numeric severity. */
export const SEVERITIES = [
  { name: 'very-high', level: 5, label: 'Very High' },
  { name: 'high', level: 4, label: 'High' },
  { name: 'medium', level: 3, label: 'Medium' },
  { name: 'low', level: 2, label: 'Low' },
  { name: 'very-low', level: 1, label: 'Very Low' },
  { name: 'informational', level: 0, label: 'Informational' },
] as const;
export type SeverityName = (typeof SEVERITIES)[number]['name'];

export const FAIL_ON_SEVERITIES = ['very-high', 'high', 'medium', 'low', 'very-low', 'none'] as const;
export type FailOnSeverity = (typeof FAIL_ON_SEVERITIES)[number];

export interface SourceLocation {
  readonly file: string;
  readonly line?: number;
  readonly functionName?: string;
}

/** One finding, normalised from the API's JSON. */
export interface Finding {
  readonly issueId?: number;
  readonly title: string;
  /** Veracode's 0 (informational) … 5 (very high). */
  readonly severity: number;
  readonly cwe: number;
  readonly issueType: string;
  readonly issueTypeId: string;
  readonly displayText: string;
  readonly location?: SourceLocation;
  /** flaw_match.flaw_hash: stable across line shifts, preferred for baseline matching. */
  readonly flawHash?: string;
  readonly flawHashOrdinal?: number;
}

export interface FindingsReport {
  readonly findings: readonly Finding[];
  /** The response exactly as received, written as the results file. */
  readonly raw: unknown;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function integer(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return undefined;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** Parse one finding; a finding without a severity or CWE is a malformed response, never skipped. */
export function parseFinding(value: unknown, index: number, source: string): Finding {
  if (!isObject(value)) {
    throw new ActionError(`${source}: finding #${index + 1} is not an object; got ${JSON.stringify(value)?.slice(0, 80)}.`);
  }
  const severity = integer(value.severity);
  if (severity === undefined || severity < 0 || severity > 5) {
    throw new ActionError(`${source}: finding #${index + 1} has severity ${JSON.stringify(value.severity)}; Veracode severities are whole numbers 0–5.`);
  }
  const cwe = integer(value.cwe_id);
  if (cwe === undefined) {
    throw new ActionError(`${source}: finding #${index + 1} has cwe_id ${JSON.stringify(value.cwe_id)}; expected a CWE number.`);
  }
  const files = isObject(value.files) ? value.files : {};
  const sourceFile = isObject(files.source_file) ? files.source_file : undefined;
  // Veracode writes 'UNKNOWN' when it has no source file: that is no location, not a file of that name.
  const named = sourceFile ? text(sourceFile.file) : '';
  const file = named.toUpperCase() === 'UNKNOWN' ? '' : named;
  const line = sourceFile ? integer(sourceFile.line) : undefined;
  const flawMatch = isObject(value.flaw_match) ? value.flaw_match : {};
  const flawHash = text(flawMatch.flaw_hash);
  return {
    issueId: integer(value.issue_id),
    title: text(value.title),
    severity,
    cwe,
    issueType: text(value.issue_type),
    issueTypeId: text(value.issue_type_id),
    displayText: text(value.display_text),
    location: file ? { file, line: line && line > 0 ? line : undefined, functionName: text(sourceFile?.function_name) || undefined } : undefined,
    flawHash: flawHash || undefined,
    flawHashOrdinal: integer(flawMatch.flaw_hash_ordinal),
  };
}

/** Parse a findings document (the API's response, or a results/baseline file in the same shape). */
export function parseFindingsDocument(value: unknown, source: string): FindingsReport {
  if (!isObject(value) || !Array.isArray(value.findings)) {
    const seen = isObject(value) ? `an object with keys ${Object.keys(value).join(', ') || '(none)'}` : JSON.stringify(value)?.slice(0, 80);
    throw new ActionError(`${source} has no 'findings' array; got ${seen}. A scan without results is a failure, not a pass.`);
  }
  return { findings: value.findings.map((f, i) => parseFinding(f, i, source)), raw: value };
}

export function severityName(level: number): SeverityName {
  return SEVERITIES.find((s) => s.level === level)?.name ?? 'informational';
}

export function severityLabel(level: number): string {
  return SEVERITIES.find((s) => s.level === level)?.label ?? 'Informational';
}

/** The lowest numeric severity that fails, or undefined for 'none'. */
export function thresholdLevel(failOn: FailOnSeverity): number | undefined {
  if (failOn === 'none') return undefined;
  return SEVERITIES.find((s) => s.name === failOn)!.level;
}

/** Parse the fail-on-cwe input: numbers or 'CWE-79', separated by commas, spaces or newlines. */
export function parseCweList(raw: string): number[] {
  const parts = raw.split(/[\s,]+/).filter((p) => p !== '');
  return parts.map((part) => {
    const match = /^(?:CWE-)?(\d+)$/i.exec(part);
    if (!match) {
      throw new ActionError(`fail-on-cwe: '${part}' is not a CWE id. Write numbers or CWE ids separated by commas, e.g. 'fail-on-cwe: 79, CWE-89'.`);
    }
    return Number(match[1]);
  });
}

function locationKey(f: Finding): string {
  return `${f.cwe}|${f.issueTypeId}|${f.location?.file ?? ''}|${f.location?.line ?? ''}`;
}

function hashKey(f: Finding): string | undefined {
  return f.flawHash ? `${f.cwe}|${f.flawHash}|${f.flawHashOrdinal ?? ''}` : undefined;
}

/**
 * Baseline matching: by flaw_match hash when both sides carry one (survives
 * line shifts), otherwise by CWE, issue type, file and line.
 */
export class Baseline {
  private readonly hashes = new Set<string>();
  private readonly locationsWithoutHash = new Set<string>();
  private readonly allLocations = new Set<string>();

  constructor(findings: readonly Finding[]) {
    for (const f of findings) {
      const h = hashKey(f);
      if (h) this.hashes.add(h);
      else this.locationsWithoutHash.add(locationKey(f));
      this.allLocations.add(locationKey(f));
    }
  }

  get size(): number {
    return this.allLocations.size;
  }

  contains(f: Finding): boolean {
    const h = hashKey(f);
    if (h) return this.hashes.has(h) || this.locationsWithoutHash.has(locationKey(f));
    return this.allLocations.has(locationKey(f));
  }
}

export interface Policy {
  readonly failOnSeverity: FailOnSeverity;
  /** When non-empty, only these CWEs can fail the job. */
  readonly failOnCwe: readonly number[];
  readonly baseline?: Baseline;
}

export interface Evaluation {
  /** Findings that fail the job: at or above the threshold, in the CWE list (if any), not in the baseline. */
  readonly blocking: readonly Finding[];
  /** Findings the baseline accepted. */
  readonly baselined: readonly Finding[];
  /** Count of all findings per severity name. */
  readonly counts: Readonly<Record<SeverityName, number>>;
}

export function evaluate(findings: readonly Finding[], policy: Policy): Evaluation {
  const threshold = thresholdLevel(policy.failOnSeverity);
  const cwes = new Set(policy.failOnCwe);
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s.name, 0])) as Record<SeverityName, number>;
  const blocking: Finding[] = [];
  const baselined: Finding[] = [];
  for (const f of findings) {
    counts[severityName(f.severity)]++;
    if (policy.baseline?.contains(f)) {
      baselined.push(f);
      continue;
    }
    const severe = threshold !== undefined && f.severity >= threshold;
    const cweInScope = cwes.size === 0 || cwes.has(f.cwe);
    if (severe && cweInScope) blocking.push(f);
  }
  blocking.sort((a, b) => b.severity - a.severity || a.cwe - b.cwe);
  return { blocking, baselined, counts };
}

/** 'src/app.js:42' or '(no source location)'. */
export function describeLocation(f: Finding): string {
  if (!f.location) return '(no source location)';
  return f.location.line ? `${f.location.file}:${f.location.line}` : f.location.file;
}
