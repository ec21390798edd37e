/**
 * Stage and action progress of one execution, from ListActionExecutions:
 * log lines for what changed since the last look, and the summary table.
 */
import { ActionExecutionDetail } from '@aws-sdk/client-codepipeline';
import { Cell, SummaryWriter, link } from '../../shared';

export interface ActionProgress {
  readonly id: string;
  readonly stage: string;
  readonly action: string;
  readonly status: string;
  readonly startTime?: Date;
  /** The provider's own summary, e.g. a CodeBuild build id or a deploy message. */
  readonly summary?: string;
  /** The provider's page for this action (build logs, deployment), when it gave one. */
  readonly url?: string;
  /** The error CodePipeline recorded for a failed action. */
  readonly error?: string;
}

/** One entry per action execution, in the order the pipeline ran them. */
export function toProgress(details: readonly ActionExecutionDetail[]): ActionProgress[] {
  return details
    .map((d, index) => {
      const result = d.output?.executionResult;
      return {
        index,
        id: d.actionExecutionId ?? `${d.stageName}/${d.actionName}/${index}`,
        stage: d.stageName ?? '(unnamed stage)',
        action: d.actionName ?? '(unnamed action)',
        // A missing status is shown, never guessed.
        status: d.status ?? 'Unknown',
        startTime: d.startTime,
        summary: result?.externalExecutionSummary,
        url: result?.externalExecutionUrl,
        error: result?.errorDetails?.message ?? (d.status === 'Failed' ? result?.externalExecutionSummary : undefined),
      };
    })
    .sort((a, b) => (a.startTime?.getTime() ?? 0) - (b.startTime?.getTime() ?? 0) || a.index - b.index)
    .map(({ index: _index, ...progress }) => progress);
}

/** Remembers what was last shown, so each look logs only what changed. */
export class ProgressLog {
  private readonly shown = new Map<string, string>();

  /** Lines for actions that are new or changed status since the last call. */
  changes(actions: readonly ActionProgress[]): string[] {
    const lines: string[] = [];
    for (const a of actions) {
      if (this.shown.get(a.id) === a.status) continue;
      this.shown.set(a.id, a.status);
      const extra = [a.error ?? a.summary, a.url].filter(Boolean).join(' — ');
      lines.push(`${a.stage} › ${a.action}: ${a.status}${extra ? ` (${extra})` : ''}`);
    }
    return lines;
  }
}

export interface SummaryFacts {
  readonly pipelineName: string;
  readonly executionId: string;
  readonly executionUrl: string;
  readonly status: string;
  readonly runUrl?: string;
  readonly note?: string;
}

/** The job summary: headline with links, then one row per action. */
export function renderSummary(facts: SummaryFacts, actions: readonly ActionProgress[]): SummaryWriter {
  const writer = new SummaryWriter()
    .heading(`CodePipeline ${facts.pipelineName}: ${facts.status}`)
    .markdown(`Execution ${link(facts.executionId, facts.executionUrl)}${facts.runUrl ? ` · started by ${link('this workflow run', facts.runUrl)}` : ''}`);
  if (facts.note) writer.paragraph(facts.note);
  if (actions.length === 0) return writer.paragraph('No action executions were reported for this execution.');
  const rows: Cell[][] = actions.map((a) => [
    a.stage,
    a.action,
    a.status,
    a.url ? { markdown: link(a.error ?? a.summary ?? 'details', a.url) } : (a.error ?? a.summary ?? ''),
  ]);
  return writer.table(['Stage', 'Action', 'Status', 'Details'], rows);
}
