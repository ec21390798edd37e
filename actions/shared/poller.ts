/**
 * The one poller every action uses: check, wait an interval, check again,
 * until the check says done, the overall deadline passes, or the run is
 * cancelled. Throttling answers back off with full jitter and polling goes
 * on; any other error ends the wait (fail closed).
 */
import { CancelledError, PollTimeoutError } from './errors';
import { isThrottlingError } from './throttling';
import { Clock, Random, Sleep, realSleep, systemClock } from './time';
import { isTransientError } from './transient';

/**
 * Transient failures (HTTP 5xx, a broken connection) a read-only poll rides out
 * in a row before failing: with the backoff below that is a minute or more of
 * outage at the usual intervals, and the SDKs' own retries come first.
 */
export const READ_ONLY_TRANSIENT_RETRIES = 5;

/** What one check saw: finished with a value, or still going in `state`. */
export type PollOutcome<T> = { readonly done: true; readonly value: T } | { readonly done: false; readonly state: string };

export interface PollOptions<T> {
  /** What is being waited for, in messages: e.g. "pipeline execution 1f2e…". */
  readonly what: string;
  /** One look at the remote work; `attempt` counts from 1. */
  readonly check: (attempt: number) => Promise<PollOutcome<T>>;
  /** Wait between checks, in ms. */
  readonly intervalMs: number;
  /** Overall deadline, in ms, counted from the call to poll. */
  readonly timeoutMs: number;
  /** Wait before the first check (work just started has nothing to show yet). @default 0 */
  readonly firstCheckAfterMs?: number;
  /** Cap of the random part of a throttling backoff, in ms. @default 8 × intervalMs, at least 60 s */
  readonly maxBackoffMs?: number;
  /** @default isThrottlingError */
  readonly isThrottling?: (error: unknown) => boolean;
  /** Told about every throttling answer and the wait chosen for it. */
  readonly onThrottle?: (error: unknown, waitMs: number) => void;
  /**
   * Transient failures (isTransientError) retried in a row, with the throttling backoff, before
   * the last one ends the wait. Only for checks that change nothing remotely. @default 0
   */
  readonly transientRetries?: number;
  /** Told about every transient failure retried, the wait chosen and which retry it is. */
  readonly onTransient?: (error: unknown, waitMs: number, retry: number) => void;
  /** Aborting it ends the wait with CancelledError at the next sleep or check. */
  readonly signal?: AbortSignal;
  readonly clock?: Clock;
  readonly sleep?: Sleep;
  readonly random?: Random;
}

export interface PollResult<T> {
  readonly value: T;
  /** Checks made, throttled ones included. */
  readonly attempts: number;
  readonly elapsedMs: number;
}

/**
 * Wait after the n-th throttling answer in a row: the interval plus a full
 * jitter draw from [0, min(cap, interval × 2^n)), so throttled pollers spread
 * out and never poll faster than the plain interval.
 */
export function throttleBackoffMs(consecutive: number, intervalMs: number, capMs: number, random: Random): number {
  const ceiling = Math.min(capMs, intervalMs * 2 ** Math.min(consecutive, 30));
  return intervalMs + Math.floor(random() * ceiling);
}

/** "1h 5m", "90s" style duration for messages. */
export function formatDuration(ms: number): string {
  const totalSeconds = Math.round(ms / 1000);
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds % 60;
  const parts = [h ? `${h}h` : '', m ? `${m}m` : '', s || (!h && !m) ? `${s}s` : ''];
  return parts.filter(Boolean).join(' ');
}

export async function poll<T>(options: PollOptions<T>): Promise<PollResult<T>> {
  if (!(options.intervalMs > 0) || !(options.timeoutMs > 0)) {
    throw new RangeError(`poll interval and timeout must be positive; got interval ${options.intervalMs} ms, timeout ${options.timeoutMs} ms`);
  }
  const clock = options.clock ?? systemClock;
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  const isThrottling = options.isThrottling ?? isThrottlingError;
  const capMs = options.maxBackoffMs ?? Math.max(60_000, options.intervalMs * 8);
  const start = clock.now();
  const deadline = start + options.timeoutMs;
  let lastState: string | undefined;
  let throttledInARow = 0;
  let transientInARow = 0;
  const transientRetries = options.transientRetries ?? 0;
  if (options.firstCheckAfterMs) await sleep(Math.min(options.firstCheckAfterMs, options.timeoutMs), options.signal);

  for (let attempt = 1; ; attempt++) {
    if (options.signal?.aborted) throw new CancelledError();
    let waitMs = options.intervalMs;
    try {
      const outcome = await options.check(attempt);
      throttledInARow = 0;
      transientInARow = 0;
      if (outcome.done) return { value: outcome.value, attempts: attempt, elapsedMs: clock.now() - start };
      lastState = outcome.state;
    } catch (error) {
      if (isThrottling(error)) {
        throttledInARow++;
        waitMs = throttleBackoffMs(throttledInARow, options.intervalMs, capMs, random);
        options.onThrottle?.(error, waitMs);
      } else if (transientInARow < transientRetries && isTransientError(error)) {
        transientInARow++;
        waitMs = throttleBackoffMs(transientInARow, options.intervalMs, capMs, random);
        options.onTransient?.(error, waitMs, transientInARow);
      } else {
        throw error;
      }
    }
    const remaining = deadline - clock.now();
    if (remaining <= 0) {
      const seen = lastState === undefined ? 'no state was seen' : `the last state seen was ${lastState}`;
      throw new PollTimeoutError(`${options.what} did not finish within ${formatDuration(options.timeoutMs)}; ${seen}.`, lastState);
    }
    // Sleep at most to the deadline, so the last check happens right at it.
    await sleep(Math.min(waitMs, remaining), options.signal);
  }
}
