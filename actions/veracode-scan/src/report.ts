/** The job summary and log lines for a finished scan: counts, then every finding that fails the job. */
import { Evaluation, FailOnSeverity, Finding, SEVERITIES, describeLocation, severityLabel } from './findings';
import { plainText } from './sarif';
import { SummaryWriter } from '../../shared/summary';

export interface ReportInput {
  readonly scanId: string;
  readonly binaryName: string;
  readonly evaluation: Evaluation;
  readonly failOnSeverity: FailOnSeverity;
  readonly failOnCwe: readonly number[];
  readonly baselineFile?: string;
  readonly sarifFile: string;
  readonly resultsFile: string;
}

/** At most this many findings are listed; the results and SARIF files hold them all. */
const LISTED = 50;

export function findingLine(f: Finding): string {
  const text = plainText(f.displayText);
  const short = text.length > 160 ? `${text.slice(0, 157)}...` : text;
  return `${severityLabel(f.severity)} CWE-${f.cwe} ${f.issueType || f.title} at ${describeLocation(f)}${short ? `: ${short}` : ''}`;
}

export function policyText(input: Pick<ReportInput, 'failOnSeverity' | 'failOnCwe' | 'baselineFile'>): string {
  const severity = input.failOnSeverity === 'none' ? 'no severity fails the job' : `findings of severity ${input.failOnSeverity} or above fail the job`;
  const cwe = input.failOnCwe.length ? `, only for ${input.failOnCwe.map((c) => `CWE-${c}`).join(', ')}` : '';
  const baseline = input.baselineFile ? `; findings in ${input.baselineFile} are accepted` : '';
  return `${severity}${cwe}${baseline}`;
}

export function buildSummary(input: ReportInput): SummaryWriter {
  const { evaluation } = input;
  const summary = new SummaryWriter()
    .heading(`Veracode pipeline scan of ${input.binaryName}: ${evaluation.blocking.length === 0 ? 'passed' : `${evaluation.blocking.length} finding(s) fail the job`}`)
    .paragraph(`Scan ${input.scanId}. Policy: ${policyText(input)}.`)
    .table(['Severity', 'Findings'], SEVERITIES.map((s) => [s.label, String(evaluation.counts[s.name])]));
  if (evaluation.baselined.length > 0) {
    summary.paragraph(`${evaluation.baselined.length} finding(s) matched the baseline and do not fail the job.`);
  }
  if (evaluation.blocking.length > 0) {
    summary.table(
      ['Severity', 'CWE', 'Issue', 'Location'],
      evaluation.blocking.slice(0, LISTED).map((f) => [severityLabel(f.severity), `CWE-${f.cwe}`, f.issueType || f.title, describeLocation(f)]),
    );
    if (evaluation.blocking.length > LISTED) summary.paragraph(`…and ${evaluation.blocking.length - LISTED} more; see ${input.resultsFile}.`);
  }
  summary.paragraph(`Results: ${input.resultsFile}; SARIF: ${input.sarifFile}.`);
  return summary;
}
