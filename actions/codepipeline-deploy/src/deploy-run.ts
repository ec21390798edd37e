/** What every phase of the deploy shares: the injected deps, the call budget and the poll settings. */
import { ActionExecutionDetail, CodePipelineClient, ListActionExecutionsCommand } from '@aws-sdk/client-codepipeline';
import { S3Client } from '@aws-sdk/client-s3';
import { DeploymentTarget } from './deployments';
import { DeployInputs } from './inputs';
import { RunContext } from './run-context';
import { CallBudget, Clock, Random, Runner, Sleep, awsCall, formatDuration } from '../../shared';

/** State names shared with the post step. */
export const STATE = { executionId: 'execution-id', pipelineName: 'pipeline-name', settled: 'settled' } as const;

export interface DeployDeps {
  readonly codepipeline: CodePipelineClient;
  readonly s3: S3Client;
  readonly runner: Runner;
  readonly region: string;
  readonly context: RunContext;
  /** Aborted when the workflow run is cancelled. */
  readonly signal: AbortSignal;
  readonly clock: Clock;
  readonly sleep: Sleep;
  readonly random: Random;
  /** Where to record the GitHub Deployment (needed when inputs.environment is set). */
  readonly github?: Omit<DeploymentTarget, 'environment'>;
}

/** One AWS call within the call budget, its failures naming `operation`. */
export type Paced = <T>(operation: string, call: () => Promise<T>) => Promise<T>;

/** What every phase shares: the inputs, the deps, the call budget and the poll settings. */
export interface DeployRun {
  readonly inputs: DeployInputs;
  readonly deps: DeployDeps;
  readonly budget: CallBudget;
  readonly paced: Paced;
  readonly startedAt: number;
  readonly poll: {
    readonly intervalMs: number;
    readonly timeoutMs: number;
    readonly signal: AbortSignal;
    readonly clock: Clock;
    readonly sleep: Sleep;
    readonly random: Random;
    readonly onThrottle: (error: unknown, waitMs: number) => void;
  };
}

/** Calls a minute: one per poll interval, never fewer than 4 (the default 15 s gives exactly 4). */
export function callsPerMinute(pollIntervalSeconds: number): number {
  return Math.max(4, Math.ceil(60 / pollIntervalSeconds));
}

export function prepare(inputs: DeployInputs, deps: DeployDeps): DeployRun {
  const budget = new CallBudget({ calls: callsPerMinute(inputs.pollIntervalSeconds), clock: deps.clock, sleep: deps.sleep });
  return {
    inputs,
    deps,
    budget,
    startedAt: deps.clock.now(),
    paced: async (operation, call) => {
      await budget.take(deps.signal);
      return awsCall(operation, call);
    },
    poll: {
      intervalMs: inputs.pollIntervalSeconds * 1000,
      timeoutMs: inputs.timeoutMinutes * 60_000,
      signal: deps.signal,
      clock: deps.clock,
      sleep: deps.sleep,
      random: deps.random,
      onThrottle: (_e, waitMs) => deps.runner.info(`CodePipeline is throttling us; waiting ${formatDuration(waitMs)} before the next call`),
    },
  };
}

/** Every action execution of this execution id (paginated, each page within the budget). */
export async function listActionExecutions(run: DeployRun, executionId: string): Promise<ActionExecutionDetail[]> {
  const { codepipeline } = run.deps;
  const pipelineName = run.inputs.pipelineName;
  const all: ActionExecutionDetail[] = [];
  let nextToken: string | undefined;
  do {
    const page = await run.paced('CodePipeline ListActionExecutions', () => codepipeline.send(new ListActionExecutionsCommand({
      pipelineName,
      filter: { pipelineExecutionId: executionId },
      maxResults: 100,
      nextToken,
    })));
    all.push(...(page.actionExecutionDetails ?? []).filter((d) => d.pipelineExecutionId === undefined || d.pipelineExecutionId === executionId));
    nextToken = page.nextToken;
  } while (nextToken);
  return all;
}

