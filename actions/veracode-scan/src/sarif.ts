/**
 * SARIF 2.1.0 for GitHub code scanning: one rule per CWE, a result per finding
 * with its file and line, level from Veracode's severity, and the numeric
 * `security-severity` GitHub uses to rank security alerts.
 */
import { posix } from 'path';
import type * as sarif from 'sarif';
import { Finding, severityLabel } from './findings';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

export interface SarifOptions {
  /** tool.driver.version. */
  readonly toolVersion: string;
  /** Used as the location of findings Veracode reports without a source file. */
  readonly artifactName: string;
  readonly scanId?: string;
  /**
   * The packaged directory relative to the repository root (directory mode): Veracode's paths are
   * relative to the package, code scanning's to the repository. @default '' (paths used as given)
   */
  readonly sourceRoot?: string;
}

/** error for very high and high, warning for medium, note below. */
export function sarifLevel(severity: number): sarif.ReportingConfiguration.level {
  if (severity >= 4) return 'error';
  if (severity === 3) return 'warning';
  return 'note';
}

/** GitHub's security-severity scale: >9 critical, 7–8.9 high, 4–6.9 medium, <4 low. */
export function securitySeverity(severity: number): string {
  return ['0.0', '2.0', '3.9', '5.5', '8.0', '9.5'][Math.max(0, Math.min(5, severity))];
}

/** Veracode's display_text is HTML; SARIF message text is plain. */
export function plainText(html: string): string {
  return html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Repository-relative URI with forward slashes; SARIF URIs must not be absolute file paths here. */
export function artifactUri(file: string): string {
  return file.replace(/\\/g, '/').replace(/^(\.\/)+/, '').replace(/^\/+/, '');
}

/** A finding's file as code scanning and annotations want it: under the packaged directory, when there was one. */
export function repositoryPath(sourceRoot: string | undefined, file: string): string {
  return artifactUri(posix.join(artifactUri(sourceRoot ?? ''), artifactUri(file)));
}

function ruleId(cwe: number): string {
  return `CWE-${cwe}`;
}

function buildRule(cwe: number, findings: readonly Finding[]): sarif.ReportingDescriptor {
  const worst = Math.max(...findings.map((f) => f.severity));
  const name = findings.find((f) => f.issueType)?.issueType ?? `CWE-${cwe}`;
  return {
    id: ruleId(cwe),
    name: name.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : '')).replace(/^./, (c) => c.toUpperCase()),
    shortDescription: { text: name },
    fullDescription: { text: `${name} (CWE-${cwe})` },
    helpUri: `https://cwe.mitre.org/data/definitions/${cwe}.html`,
    help: { text: `${name}. See https://cwe.mitre.org/data/definitions/${cwe}.html` },
    defaultConfiguration: { level: sarifLevel(worst) },
    properties: {
      'security-severity': securitySeverity(worst),
      'tags': ['security', `external/cwe/cwe-${cwe}`],
      'precision': 'high',
    },
  };
}

function buildResult(f: Finding, ruleIndex: number, options: SarifOptions): sarif.Result {
  const message = plainText(f.displayText) || f.title || f.issueType || `CWE-${f.cwe}`;
  const region: sarif.Region | undefined = f.location?.line ? { startLine: f.location.line } : undefined;
  const uri = f.location ? repositoryPath(options.sourceRoot, f.location.file) : artifactUri(options.artifactName);
  const result: sarif.Result = {
    ruleId: ruleId(f.cwe),
    ruleIndex,
    level: sarifLevel(f.severity),
    message: { text: `${severityLabel(f.severity)}: ${message}` },
    locations: [{ physicalLocation: { artifactLocation: { uri }, ...(region ? { region } : {}) } }],
    properties: { 'veracode-severity': f.severity, ...(f.issueId !== undefined ? { 'veracode-issue-id': f.issueId } : {}) },
  };
  if (f.flawHash) {
    result.partialFingerprints = { 'veracodeFlawHash/v1': `${f.flawHash}:${f.flawHashOrdinal ?? 0}` };
  }
  return result;
}

export function buildSarif(findings: readonly Finding[], options: SarifOptions): sarif.Log {
  const cwes = [...new Set(findings.map((f) => f.cwe))].sort((a, b) => a - b);
  const rules = cwes.map((cwe) => buildRule(cwe, findings.filter((f) => f.cwe === cwe)));
  const results = findings.map((f) => buildResult(f, cwes.indexOf(f.cwe), options));
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'Veracode Pipeline Scan',
            informationUri: 'https://docs.veracode.com/r/Pipeline_Scan',
            version: options.toolVersion,
            rules,
          },
        },
        results,
        ...(options.scanId ? { automationDetails: { id: `veracode-pipeline-scan/${options.scanId}` } } : {}),
      },
    ],
  };
}
