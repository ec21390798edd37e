/**
 * Waiting for the analysis and judging its quality gate: the Compute Engine
 * task is polled (PENDING, IN_PROGRESS → wait; SUCCESS → go on; FAILED,
 * CANCELED → fail with its errorMessage; anything else → fail, named), then
 * the gate of exactly that analysis is read.
 */
import { CE_ACTIVE, CE_FAILED, CE_SUCCESS, CeTask, GateCondition, ProjectStatus, SonarApi } from './sonar-api';
import { ActionError } from '../../shared/errors';
import { READ_ONLY_TRANSIENT_RETRIES, formatDuration, poll } from '../../shared/poller';
import { Clock, Random, Sleep } from '../../shared/time';

export const GATE_STATUSES = ['OK', 'WARN', 'ERROR', 'NONE'] as const;
export type GateStatus = (typeof GATE_STATUSES)[number];

export interface WaitDependencies {
  readonly api: SonarApi;
  readonly clock?: Clock;
  readonly sleep?: Sleep;
  readonly random?: Random;
  readonly signal?: AbortSignal;
  readonly log: (message: string) => void;
}

export interface GateResult {
  readonly status: GateStatus;
  readonly analysisId: string;
  readonly conditions: readonly GateCondition[];
}

/** Poll api/ce/task until the analysis is processed; returns its analysisId. */
export async function waitForAnalysis(deps: WaitDependencies, ceTaskId: string, timeoutMs: number, intervalMs: number): Promise<string> {
  const result = await poll<CeTask>({
    what: `the Sonar background task ${ceTaskId}`,
    intervalMs,
    timeoutMs,
    clock: deps.clock,
    sleep: deps.sleep,
    random: deps.random,
    signal: deps.signal,
    onThrottle: (_, waitMs) => deps.log(`Sonar answered HTTP 429; waiting ${Math.round(waitMs / 1000)}s`),
    // Reading the task changes nothing: ride out a passing server error or dropped connection.
    transientRetries: READ_ONLY_TRANSIENT_RETRIES,
    onTransient: (e, waitMs, retry) => deps.log(`${(e as Error).message}; retry ${retry} of ${READ_ONLY_TRANSIENT_RETRIES} in ${formatDuration(waitMs)}`),
    check: async () => {
      const task = await deps.api.ceTask(ceTaskId);
      if (task.status === CE_SUCCESS) return { done: true, value: task };
      if ((CE_FAILED as readonly string[]).includes(task.status)) {
        throw new ActionError(`the Sonar background task ${ceTaskId} ended ${task.status}: ${task.errorMessage ?? '(the server gave no errorMessage)'}`);
      }
      if (!(CE_ACTIVE as readonly string[]).includes(task.status)) {
        throw new ActionError(`the Sonar background task ${ceTaskId} has status '${task.status}', which this action does not know; failing rather than guessing. Known: ${[...CE_ACTIVE, CE_SUCCESS, ...CE_FAILED].join(', ')}.`);
      }
      return { done: false, state: task.status };
    },
  });
  const analysisId = result.value.analysisId;
  if (!analysisId) {
    throw new ActionError(`the Sonar background task ${ceTaskId} succeeded but names no analysisId, so its quality gate cannot be read.`);
  }
  return analysisId;
}

export function gateStatus(projectStatus: ProjectStatus): GateStatus {
  const found = GATE_STATUSES.find((s) => s === projectStatus.status);
  if (!found) {
    throw new ActionError(`the quality gate status is '${projectStatus.status}', which this action does not know; failing rather than guessing. Known: ${GATE_STATUSES.join(', ')}.`);
  }
  return found;
}

const COMPARATORS: Readonly<Record<string, string>> = { GT: '>', LT: '<', EQ: '=', NE: '!=' };

/** 'new_coverage is 42.1, must not be < 80' style text for one failed condition. */
export function describeCondition(c: GateCondition): string {
  const op = COMPARATORS[c.comparator] ?? c.comparator;
  return `${c.metricKey} is ${c.actualValue ?? '(no value)'}, must not be ${op} ${c.errorThreshold ?? '(no threshold)'}`;
}

/** The conditions that made the gate fail (or warn). */
export function failedConditions(conditions: readonly GateCondition[]): GateCondition[] {
  return conditions.filter((c) => c.status === 'ERROR' || c.status === 'WARN');
}

export interface GateVerdict {
  readonly pass: boolean;
  /** Why it failed, for the job failure message. */
  readonly reason?: string;
}

export function judgeGate(result: GateResult, allowNoGate: boolean): GateVerdict {
  switch (result.status) {
    case 'OK':
      return { pass: true };
    case 'WARN':
      return { pass: true };
    case 'ERROR': {
      const failed = failedConditions(result.conditions);
      const list = failed.length ? failed.map(describeCondition).join('; ') : 'the server listed no failed condition';
      return { pass: false, reason: `the Sonar quality gate failed (ERROR) for analysis ${result.analysisId}: ${list}.` };
    }
    case 'NONE':
      return allowNoGate
        ? { pass: true }
        : { pass: false, reason: 'no quality gate is assigned to this project (status NONE), so nothing was checked. Assign a quality gate in Sonar, or set allow-no-quality-gate: true.' };
  }
}
