/** The job summary for a quality gate verdict. */
import { GateResult, failedConditions } from './quality-gate';
import { SummaryWriter, link } from '../../shared/summary';

export function gateSummary(result: GateResult, projectKey: string, dashboardUrl: string): SummaryWriter {
  const summary = new SummaryWriter()
    .heading(`Sonar quality gate for ${projectKey}: ${result.status}`)
    .markdown(`Analysis ${result.analysisId} · ${link('dashboard', dashboardUrl)}`);
  const failed = failedConditions(result.conditions);
  if (failed.length > 0) {
    summary.table(
      ['Status', 'Metric', 'Comparator', 'Threshold', 'Actual'],
      failed.map((c) => [c.status, c.metricKey, c.comparator, c.errorThreshold ?? '', c.actualValue ?? '']),
    );
  }
  return summary;
}
