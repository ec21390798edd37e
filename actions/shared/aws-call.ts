/**
 * Names the AWS operation in a failure, so "connect ECONNREFUSED" becomes
 * "CodePipeline StartPipelineExecution could not reach AWS: …". Throttling
 * errors pass through unchanged so the poller can back off on them.
 */
import { ActionError } from './errors';
import { isThrottlingError } from './throttling';

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

interface ErrorShape {
  readonly name?: string;
  readonly message?: string;
  readonly code?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

/** An ActionError saying which operation failed and how; throttling and ActionErrors are returned as they are. */
export function awsCallError(operation: string, error: unknown): unknown {
  if (error instanceof ActionError || isThrottlingError(error) || typeof error !== 'object' || error === null) return error;
  const e = error as ErrorShape;
  if (e.code && NETWORK_CODES.has(e.code)) {
    return new ActionError(`${operation} could not reach AWS: ${e.message}. Check AWS_REGION, any AWS_ENDPOINT_URL* variables and the runner's network.`);
  }
  const status = e.$metadata?.httpStatusCode ? ` (HTTP ${e.$metadata.httpStatusCode})` : '';
  return new ActionError(`${operation} failed: ${e.name ?? 'Error'}: ${e.message ?? String(error)}${status}`);
}

/** Runs one AWS call, naming `operation` in any failure. */
export async function awsCall<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw awsCallError(operation, error);
  }
}

/** The region from AWS_REGION (or AWS_DEFAULT_REGION), as configure-aws-credentials exports it. */
export function regionFromEnvironment(env: NodeJS.ProcessEnv): string {
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION;
  if (!region) {
    throw new ActionError('no AWS region: set AWS_REGION (aws-actions/configure-aws-credentials sets it from its aws-region input).');
  }
  return region;
}
