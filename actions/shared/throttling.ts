/** Recognising "slow down" answers from AWS (and HTTP APIs) so pollers back off instead of failing. */

const THROTTLING_NAMES = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'ProvisionedThroughputExceededException',
  'SlowDown',
]);

interface ErrorShape {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly message?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: unknown };
  readonly status?: unknown;
}

/** True for throttling: a known AWS throttling error name, HTTP 429, or the words "Rate exceeded". */
export function isThrottlingError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as ErrorShape;
  if (typeof e.name === 'string' && THROTTLING_NAMES.has(e.name)) return true;
  if (typeof e.code === 'string' && THROTTLING_NAMES.has(e.code)) return true;
  if (e.$metadata?.httpStatusCode === 429 || e.status === 429) return true;
  return typeof e.message === 'string' && /rate exceeded/i.test(e.message);
}
