/**
 * What a pipeline execution's status means for the job. Pure: every status
 * CodePipeline documents is decided here, and anything else fails closed.
 */
import { PipelineExecution } from '@aws-sdk/client-codepipeline';
import { ActionProgress } from './progress';

export type Verdict =
  | { readonly kind: 'running'; readonly status: string }
  | { readonly kind: 'succeeded'; readonly status: string; readonly note?: string }
  | { readonly kind: 'failed'; readonly status: string; readonly reason: string };

export interface JudgeOptions {
  readonly supersededIsSuccess: boolean;
}

/** Decide from one GetPipelineExecution answer; missing or unknown data is a failure that says what was seen. */
export function judgeExecution(execution: PipelineExecution | undefined, options: JudgeOptions): Verdict {
  if (!execution) {
    return { kind: 'failed', status: 'Unknown', reason: 'GetPipelineExecution returned no pipelineExecution' };
  }
  const status = execution.status;
  const summary = execution.statusSummary ? `: ${execution.statusSummary}` : '';
  switch (status) {
    case 'InProgress':
      return { kind: 'running', status };
    case 'Stopping':
      // Not final: keep polling until it settles on Stopped (or another final state).
      return { kind: 'running', status };
    case 'Succeeded':
      return { kind: 'succeeded', status };
    case 'Superseded':
      return options.supersededIsSuccess
        ? { kind: 'succeeded', status, note: 'a newer execution overtook it; superseded-is-success is true, so this counts as success' }
        : { kind: 'failed', status, reason: `it was superseded by a newer execution${summary} (set 'superseded-is-success: true' to accept that)` };
    case 'Failed':
      return { kind: 'failed', status, reason: `it failed${summary}` };
    case 'Stopped':
      return { kind: 'failed', status, reason: `it was stopped${summary}` };
    case 'Cancelled':
      return { kind: 'failed', status, reason: `it was cancelled (the pipeline definition changed while it waited)${summary}` };
    case undefined:
      return { kind: 'failed', status: 'Unknown', reason: 'GetPipelineExecution returned no status' };
    default:
      return { kind: 'failed', status, reason: `CodePipeline reported status '${String(status)}', which this action does not know, so it fails closed` };
  }
}

/** The failure message: which execution, how it ended, and each failed action with its error. */
export function failureMessage(pipelineName: string, executionId: string, verdict: Extract<Verdict, { kind: 'failed' }>, actions: readonly ActionProgress[]): string {
  const failed = actions.filter((a) => a.status === 'Failed');
  const detail = failed.map((a) => `${a.stage} › ${a.action} failed${a.error ? `: ${a.error}` : ''}`).join('; ');
  return `pipeline '${pipelineName}' execution ${executionId} ended ${verdict.status}: ${verdict.reason}${detail ? `. ${detail}` : ''}`;
}
