/**
 * A scripted CodePipeline (and S3) behind aws-sdk-client-mock: each
 * GetPipelineExecution answers the next scripted status, every call is
 * recorded with the (manual) clock's time.
 */
import {
  ActionExecutionDetail,
  CodePipelineClient,
  GetPipelineCommand,
  GetPipelineExecutionCommand,
  ListActionExecutionsCommand,
  PipelineExecutionStatus,
  StartPipelineExecutionCommand,
  StopPipelineExecutionCommand,
} from '@aws-sdk/client-codepipeline';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { ManualClock } from '../../../actions/shared/time';

export const EXECUTION_ID = '0f1e2d3c-aaaa-bbbb-cccc-000000000001';

export interface RecordedCall {
  readonly at: number;
  readonly command: string;
  readonly input: Record<string, unknown>;
}

/** A status to answer, or an error to throw, for one GetPipelineExecution call. */
export type Answer = PipelineExecutionStatus | string | Error | undefined;

export function throttling(): Error {
  return Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
}

export function expiredToken(): Error {
  return Object.assign(new Error('The security token included in the request is expired'), { name: 'ExpiredTokenException', $metadata: { httpStatusCode: 400 } });
}

export function failedBuild(): ActionExecutionDetail[] {
  return [
    { pipelineExecutionId: EXECUTION_ID, actionExecutionId: 'a1', stageName: 'Source', actionName: 'Source', status: 'Succeeded', startTime: new Date(1000) },
    {
      pipelineExecutionId: EXECUTION_ID,
      actionExecutionId: 'a2',
      stageName: 'Build',
      actionName: 'CodeBuild',
      status: 'Failed',
      startTime: new Date(2000),
      output: { executionResult: { externalExecutionUrl: 'https://console.aws.amazon.com/codebuild/x', errorDetails: { code: 'JobFailed', message: 'Build terminated with state: FAILED' } } },
    },
  ];
}

export class FakePipeline {
  readonly codepipeline = mockClient(CodePipelineClient);
  readonly s3 = mockClient(S3Client);
  readonly calls: RecordedCall[] = [];
  /** What ListActionExecutions returns (all of it, one page). */
  actions: ActionExecutionDetail[] = [];

  /**
   * `credentialsExpireAt`: from this clock time on, every call is refused the way AWS refuses a
   * role session past its end (ExpiredTokenException, HTTP 400), Stop included.
   */
  constructor(
    readonly clock: ManualClock,
    answers: Answer[],
    options: { versionId?: string; pipelineSources?: unknown[]; credentialsExpireAt?: number } = {},
  ) {
    const record = (command: string) => (input: object) => {
      this.calls.push({ at: clock.now(), command, input: input as Record<string, unknown> });
      if (options.credentialsExpireAt !== undefined && clock.now() >= options.credentialsExpireAt) throw expiredToken();
    };
    this.codepipeline.on(StartPipelineExecutionCommand).callsFake((input) => { record('Start')(input); return { pipelineExecutionId: EXECUTION_ID }; });
    this.codepipeline.on(GetPipelineExecutionCommand).callsFake((input) => {
      record('Get')(input);
      const next = answers.length > 1 ? answers.shift() : answers[0];
      if (next instanceof Error) throw next;
      return { pipelineExecution: next === undefined ? undefined : { pipelineExecutionId: EXECUTION_ID, status: next, statusSummary: next === 'Failed' ? 'Build failed' : undefined } };
    });
    this.codepipeline.on(ListActionExecutionsCommand).callsFake((input) => { record('List')(input); return { actionExecutionDetails: this.actions }; });
    this.codepipeline.on(StopPipelineExecutionCommand).callsFake((input) => { record('Stop')(input); return { pipelineExecutionId: EXECUTION_ID }; });
    this.codepipeline.on(GetPipelineCommand).callsFake((input) => {
      record('GetPipeline')(input);
      return { pipeline: { name: 'deploy', roleArn: 'arn:aws:iam::1:role/x', stages: [{ name: 'Source', actions: options.pipelineSources ?? [] }] } };
    });
    this.s3.on(PutObjectCommand).callsFake((input) => { record('PutObject')(input); return { VersionId: options.versionId }; });
  }

  names(): string[] {
    return this.calls.map((c) => c.command);
  }

  /** The most calls seen in any half-open 60 s window starting at a call. */
  peakCallsPerMinute(): number {
    return Math.max(0, ...this.calls.map((c) => this.calls.filter((d) => d.at >= c.at && d.at < c.at + 60_000).length));
  }

  restore(): void {
    this.codepipeline.restore();
    this.s3.restore();
  }
}
