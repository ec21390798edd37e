/**
 * Names the AWS operation in a failure, so "connect ECONNREFUSED" becomes
 * "CodePipeline StartPipelineExecution could not reach AWS: …". Throttling
 * errors pass through unchanged so the poller can back off on them.
 */
import { ActionError, TransientError } from './errors';
import { NETWORK_ERROR_CODES } from './network-codes';
import { isThrottlingError } from './throttling';
import { isTransientError } from './transient';

interface ErrorShape {
  readonly name?: string;
  readonly message?: string;
  readonly code?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

/**
 * An ActionError saying which operation failed and how (a TransientError for a
 * server or network failure, so read-only polls may retry it); throttling and
 * ActionErrors are returned as they are.
 */
export function awsCallError(operation: string, error: unknown): unknown {
  if (error instanceof ActionError || isThrottlingError(error) || typeof error !== 'object' || error === null) return error;
  const e = error as ErrorShape;
  const Kind = isTransientError(error) ? TransientError : ActionError;
  if (e.code && NETWORK_ERROR_CODES.has(e.code)) {
    return new Kind(`${operation} could not reach AWS: ${e.message}. Check AWS_REGION, any AWS_ENDPOINT_URL* variables and the runner's network.`);
  }
  const status = e.$metadata?.httpStatusCode ? ` (HTTP ${e.$metadata.httpStatusCode})` : '';
  return new Kind(`${operation} failed: ${e.name ?? 'Error'}: ${e.message ?? String(error)}${status}`);
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
