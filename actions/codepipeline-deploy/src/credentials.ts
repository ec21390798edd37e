/**
 * AWS credentials that expire while the action waits: the role session from
 * configure-aws-credentials ends (role-duration-seconds, capped by the role's
 * MaxSessionDuration, 1 h by default) and every call then answers
 * ExpiredToken / ExpiredTokenException. Nothing can be stopped or followed
 * with them any more, so this gets its own message saying what to raise.
 */

/** Service errors for an expired session (JSON protocols: ExpiredTokenException; query protocols: ExpiredToken). */
const EXPIRED_NAMES = new Set(['ExpiredToken', 'ExpiredTokenException']);

interface ErrorShape {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly message?: unknown;
}

export function isExpiredCredentials(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as ErrorShape;
  if ((typeof e.name === 'string' && EXPIRED_NAMES.has(e.name)) || (typeof e.code === 'string' && EXPIRED_NAMES.has(e.code))) return true;
  const message = typeof e.message === 'string' ? e.message : '';
  // Also an error already worded by awsCall ("… failed: ExpiredTokenException: …"), and the service's own words.
  return /\bExpiredToken(?:Exception)?\b|security token included in the request is expired/.test(message);
}

/** IAM's ceiling for a role session (MaxSessionDuration), in seconds. */
export const IAM_MAX_SESSION_SECONDS = 43_200;

/**
 * Headroom after the wait's deadline for the stop call (with its SDK retries),
 * the summary and the post step, in seconds.
 */
export const STOP_WINDOW_SECONDS = 300;

/** The session the action needs: longer than timeout-minutes plus the stop window. */
export function requiredSessionSeconds(timeoutMinutes: number): number {
  return timeoutMinutes * 60 + STOP_WINDOW_SECONDS;
}

/** What to raise, in words: the role's MaxSessionDuration and configure-aws-credentials' role-duration-seconds. */
export function sessionAdvice(timeoutMinutes: number): string {
  const needed = requiredSessionSeconds(timeoutMinutes);
  const raise = `raise the role's MaxSessionDuration and configure-aws-credentials 'role-duration-seconds' above ${needed} (timeout-minutes ${timeoutMinutes} × 60 + ${STOP_WINDOW_SECONDS} s to stop the execution)`;
  return needed > IAM_MAX_SESSION_SECONDS
    ? `${raise}; that is more than IAM's ${IAM_MAX_SESSION_SECONDS} s maximum, so lower timeout-minutes to at most ${Math.floor((IAM_MAX_SESSION_SECONDS - STOP_WINDOW_SECONDS) / 60)}`
    : raise;
}
