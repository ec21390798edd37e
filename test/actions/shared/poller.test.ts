import { awsCall } from '../../../actions/shared/aws-call';
import { CallBudget } from '../../../actions/shared/call-budget';
import { ActionError, CancelledError, PollTimeoutError, TransientError } from '../../../actions/shared/errors';
import { HttpStatusError } from '../../../actions/shared/http';
import { PollOutcome, formatDuration, poll, throttleBackoffMs } from '../../../actions/shared/poller';
import { isThrottlingError } from '../../../actions/shared/throttling';
import { ManualClock } from '../../../actions/shared/time';
import { isTransientError } from '../../../actions/shared/transient';

/** A check that answers from a script, one entry per call; an Error entry is thrown. */
function scripted<T>(answers: (PollOutcome<T> | Error)[]): (attempt: number) => Promise<PollOutcome<T>> {
  return async () => {
    const next = answers.shift();
    if (next === undefined) throw new Error('check called more often than scripted');
    if (next instanceof Error) throw next;
    return next;
  };
}

function throttle(message = 'Rate exceeded'): Error {
  return Object.assign(new Error(message), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
}

const pending = (state: string): PollOutcome<string> => ({ done: false, state });

describe('poll', () => {
  test('checks at the interval until done', async () => {
    const clock = new ManualClock();
    const result = await poll({
      what: 'job 1',
      check: scripted([pending('Queued'), pending('InProgress'), { done: true, value: 'ok' }]),
      intervalMs: 15_000,
      timeoutMs: 60_000,
      clock,
      sleep: clock.sleep,
    });
    expect(result).toEqual({ value: 'ok', attempts: 3, elapsedMs: 30_000 });
    expect(clock.sleeps).toEqual([15_000, 15_000]);
  });

  test('times out with the last state seen, checking once more right at the deadline', async () => {
    const clock = new ManualClock();
    const checks: number[] = [];
    const error = await poll({
      what: 'pipeline execution e-1',
      check: async () => { checks.push(clock.now()); return pending('InProgress'); },
      intervalMs: 40_000,
      timeoutMs: 100_000,
      clock,
      sleep: clock.sleep,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PollTimeoutError);
    expect((error as PollTimeoutError).message).toBe('pipeline execution e-1 did not finish within 1m 40s; the last state seen was InProgress.');
    expect((error as PollTimeoutError).lastState).toBe('InProgress');
    expect(checks).toEqual([0, 40_000, 80_000, 100_000]);
  });

  test('throttling backs off with full jitter above the interval, then polling continues', async () => {
    const clock = new ManualClock();
    const seen: number[] = [];
    const draws = [0.5, 0.25];
    const result = await poll({
      what: 'scan',
      check: scripted([throttle(), throttle('Rate exceeded'), pending('IN_PROGRESS'), { done: true, value: 'COMPLETE' }]),
      intervalMs: 10_000,
      timeoutMs: 600_000,
      maxBackoffMs: 30_000,
      clock,
      sleep: clock.sleep,
      random: () => draws.shift() ?? 0,
      onThrottle: (_e, wait) => seen.push(wait),
    });
    expect(result.value).toBe('COMPLETE');
    expect(result.attempts).toBe(4);
    // 1st: 10 s + 0.5 × min(30 s, 20 s); 2nd: 10 s + 0.25 × min(30 s, 40 s).
    expect(seen).toEqual([20_000, 17_500]);
    expect(clock.sleeps).toEqual([20_000, 17_500, 10_000]);
  });

  test('the first check can wait, and that wait counts against the deadline', async () => {
    const clock = new ManualClock();
    const checks: number[] = [];
    await expect(poll({
      what: 'x',
      check: async () => { checks.push(clock.now()); return pending('InProgress'); },
      intervalMs: 15_000,
      timeoutMs: 40_000,
      firstCheckAfterMs: 15_000,
      clock,
      sleep: clock.sleep,
    })).rejects.toBeInstanceOf(PollTimeoutError);
    expect(checks).toEqual([15_000, 30_000, 40_000]);
  });

  test('a non-throttling error ends the wait at once (fail closed)', async () => {
    const clock = new ManualClock();
    const denied = Object.assign(new Error('User is not authorized'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } });
    await expect(poll({ what: 'x', check: scripted<string>([denied]), intervalMs: 1, timeoutMs: 10, clock, sleep: clock.sleep })).rejects.toBe(denied);
    expect(clock.sleeps).toEqual([]);
  });

  test('cancellation ends the wait with CancelledError', async () => {
    const clock = new ManualClock();
    const controller = new AbortController();
    const error = await poll({
      what: 'x',
      check: async (attempt) => {
        if (attempt === 2) controller.abort();
        return pending('InProgress');
      },
      intervalMs: 1_000,
      timeoutMs: 60_000,
      signal: controller.signal,
      clock,
      sleep: clock.sleep,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CancelledError);
    expect(clock.sleeps).toEqual([1_000]);
  });

  test('rejects a zero interval or timeout', async () => {
    await expect(poll({ what: 'x', check: scripted<string>([]), intervalMs: 0, timeoutMs: 1 })).rejects.toThrow(/must be positive/);
  });

  test('backoff never goes below the interval nor above interval + cap', () => {
    expect(throttleBackoffMs(1, 15_000, 60_000, () => 0)).toBe(15_000);
    expect(throttleBackoffMs(10, 15_000, 60_000, () => 0.999999)).toBe(74_999);
    expect(throttleBackoffMs(1_000, 15_000, 60_000, () => 0.5)).toBe(45_000);
  });

  test('durations read like a person wrote them', () => {
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(90_000)).toBe('1m 30s');
    expect(formatDuration(3_600_000)).toBe('1h');
    expect(formatDuration(3_725_000)).toBe('1h 2m 5s');
  });
});

describe('isThrottlingError', () => {
  test.each([
    [{ name: 'ThrottlingException', message: 'x' }, true],
    [{ name: 'TooManyRequestsException' }, true],
    [{ name: 'Other', $metadata: { httpStatusCode: 429 } }, true],
    [{ name: 'Other', message: 'Rate exceeded' }, true],
    [{ name: 'LimitExceededException', message: 'quota' }, false],
    [{ name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } }, false],
    ['Rate exceeded', false],
    [null, false],
  ])('%j → %s', (error, expected) => {
    expect(isThrottlingError(error)).toBe(expected);
  });
});

describe('CallBudget', () => {
  test('never lets more than N calls into any window', async () => {
    const clock = new ManualClock();
    const budget = new CallBudget({ calls: 4, windowMs: 60_000, clock, sleep: clock.sleep });
    const times: number[] = [];
    for (let i = 0; i < 9; i++) {
      await budget.take();
      times.push(clock.now());
    }
    expect(times).toEqual([0, 0, 0, 0, 60_000, 60_000, 60_000, 60_000, 120_000]);
  });

  test('recorded urgent calls count against later ones', async () => {
    const clock = new ManualClock();
    const budget = new CallBudget({ calls: 1, windowMs: 1_000, clock, sleep: clock.sleep });
    budget.record();
    await budget.take();
    expect(clock.now()).toBe(1_000);
  });

  test('refuses an empty budget and honours cancellation', async () => {
    expect(() => new CallBudget({ calls: 0 })).toThrow(/at least 1 call/);
    const controller = new AbortController();
    controller.abort();
    await expect(new CallBudget({ calls: 1 }).take(controller.signal)).rejects.toBeInstanceOf(CancelledError);
  });
});

describe('poll: transient failures in read-only polls', () => {
  const serverError = (status = 503): Error =>
    Object.assign(new Error('Service Unavailable'), { name: 'ServiceUnavailableException', $fault: 'server', $metadata: { httpStatusCode: status } });
  const base = { what: 'job 1', intervalMs: 10_000, timeoutMs: 3_600_000, random: () => 0 };

  test('a few 5xx or dropped connections in a row are retried with backoff, and the count starts over after a good answer', async () => {
    const clock = new ManualClock();
    const seen: number[] = [];
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const result = await poll({
      ...base,
      check: scripted<string>([serverError(), new HttpStatusError('GET', new URL('https://sonar.example/api/ce/task'), 502, 'Bad Gateway'), pending('InProgress'), reset, { done: true, value: 'ok' }]),
      transientRetries: 2,
      onTransient: (_e, _wait, retry) => seen.push(retry),
      clock,
      sleep: clock.sleep,
    });
    expect(result.value).toBe('ok');
    expect(seen).toEqual([1, 2, 1]);
    expect(clock.sleeps).toEqual([10_000, 10_000, 10_000, 10_000]);
  });

  test('one more than allowed ends the wait with that failure', async () => {
    const clock = new ManualClock();
    const last = serverError(500);
    const check = scripted<string>([serverError(), serverError(), last]);
    await expect(poll({ ...base, check, transientRetries: 2, clock, sleep: clock.sleep })).rejects.toBe(last);
  });

  test('client errors, ActionErrors that are not transient, and polls without transientRetries fail at once', async () => {
    const clock = new ManualClock();
    const denied = Object.assign(new Error('denied'), { name: 'AccessDeniedException', $fault: 'client', $metadata: { httpStatusCode: 400 } });
    await expect(poll({ ...base, check: scripted<string>([denied]), transientRetries: 5, clock, sleep: clock.sleep })).rejects.toBe(denied);
    const notFound = new HttpStatusError('GET', new URL('https://sonar.example/api/ce/task'), 404, 'Not Found');
    await expect(poll({ ...base, check: scripted<string>([notFound]), transientRetries: 5, clock, sleep: clock.sleep })).rejects.toBe(notFound);
    const unknown = new ActionError("the scan reported status 'NEW', which this action does not know");
    await expect(poll({ ...base, check: scripted<string>([unknown]), transientRetries: 5, clock, sleep: clock.sleep })).rejects.toBe(unknown);
    const first = serverError();
    await expect(poll({ ...base, check: scripted<string>([first]), clock, sleep: clock.sleep })).rejects.toBe(first);
  });

  test('awsCall marks server and network failures transient, and only those', async () => {
    const wrapped = await awsCall('ECR DescribeImageScanFindings', () => Promise.reject(serverError())).catch((e: unknown) => e);
    expect(wrapped).toBeInstanceOf(TransientError);
    expect((wrapped as Error).message).toBe('ECR DescribeImageScanFindings failed: ServiceUnavailableException: Service Unavailable (HTTP 503)');
    const denied = await awsCall('ECR X', () => Promise.reject(Object.assign(new Error('no'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } }))).catch((e: unknown) => e);
    expect(isTransientError(denied)).toBe(false);
    expect(isTransientError(await awsCall('ECR X', () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).catch((e: unknown) => e))).toBe(true);
  });
});
