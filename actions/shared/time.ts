/** Clock, sleep and randomness as values, so waiting code is tested without fake timers. */
import { setTimeout as delay } from 'timers/promises';
import { CancelledError } from './errors';

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

/** Resolves after `ms`, or rejects with CancelledError as soon as `signal` aborts. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** A number in [0, 1). */
export type Random = () => number;

export const systemClock: Clock = { now: () => Date.now() };

export const realSleep: Sleep = async (ms, signal) => {
  if (signal?.aborted) throw new CancelledError();
  try {
    await delay(ms, undefined, { signal });
  } catch (e) {
    if (signal?.aborted) throw new CancelledError();
    throw e;
  }
};

/** A clock that only moves when its sleep is awaited: tests run hours of polling in microseconds. */
export class ManualClock implements Clock {
  /** Every sleep requested, in order. */
  readonly sleeps: number[] = [];

  constructor(private current = 0) {}

  now(): number {
    return this.current;
  }

  advance(ms: number): void {
    this.current += ms;
  }

  readonly sleep: Sleep = async (ms, signal) => {
    if (signal?.aborted) throw new CancelledError();
    this.sleeps.push(ms);
    this.current += ms;
    // Yield so code racing the sleep (signal handlers, other promises) gets its turn.
    await Promise.resolve();
    if (signal?.aborted) throw new CancelledError();
  };
}
