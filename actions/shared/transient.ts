/**
 * Failures that may pass on their own: a server error (HTTP 5xx), a dropped
 * or refused connection, a request that timed out. A read-only poll may
 * retry a few of them in a row; a client error (4xx) or an unknown state
 * never is.
 */
import { TransientError } from './errors';
import { HttpStatusError } from './http';
import { NETWORK_ERROR_CODES } from './network-codes';

/** AWS server-side error names (the SDK marks them $fault: 'server'). */
const AWS_SERVER_ERRORS = new Set(['InternalFailure', 'InternalServerError', 'InternalServerException', 'InternalError', 'ServiceUnavailable', 'ServiceUnavailableException', 'TimeoutError', 'RequestTimeout']);

interface ErrorShape {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly $fault?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: unknown };
}

export function isTransientError(error: unknown): boolean {
  if (error instanceof TransientError) return true;
  if (error instanceof HttpStatusError) return error.status >= 500;
  if (typeof error !== 'object' || error === null) return false;
  const e = error as ErrorShape;
  if (typeof e.code === 'string' && NETWORK_ERROR_CODES.has(e.code)) return true;
  if (typeof e.name === 'string' && AWS_SERVER_ERRORS.has(e.name)) return true;
  const status = e.$metadata?.httpStatusCode;
  return e.$fault === 'server' || (typeof status === 'number' && status >= 500);
}
