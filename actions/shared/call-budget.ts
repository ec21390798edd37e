/**
 * A sliding-window budget of API calls: `take()` returns once a call fits,
 * sleeping (on the injected clock) until the oldest call leaves the window.
 * It is how a bridge promises "at most N calls a minute" and can prove it.
 */
import { CancelledError } from './errors';
import { Clock, Sleep, realSleep, systemClock } from './time';

export interface CallBudgetOptions {
  /** Calls allowed in any window. */
  readonly calls: number;
  /** Window length in ms. @default 60 000 */
  readonly windowMs?: number;
  readonly clock?: Clock;
  readonly sleep?: Sleep;
}

export class CallBudget {
  private readonly taken: number[] = [];
  private readonly windowMs: number;
  private readonly clock: Clock;
  private readonly sleep: Sleep;

  constructor(private readonly options: CallBudgetOptions) {
    if (!Number.isInteger(options.calls) || options.calls < 1) {
      throw new RangeError(`a call budget needs at least 1 call per window; got ${options.calls}`);
    }
    this.windowMs = options.windowMs ?? 60_000;
    this.clock = options.clock ?? systemClock;
    this.sleep = options.sleep ?? realSleep;
  }

  /** Wait until one more call fits in the window, then count it. */
  async take(signal?: AbortSignal): Promise<void> {
    for (;;) {
      if (signal?.aborted) throw new CancelledError();
      const now = this.clock.now();
      while (this.taken.length > 0 && this.taken[0] <= now - this.windowMs) this.taken.shift();
      if (this.taken.length < this.options.calls) {
        this.taken.push(now);
        return;
      }
      await this.sleep(this.taken[0] + this.windowMs - now, signal);
    }
  }

  /** Count a call made outside the budget (an urgent stop), so later calls still respect the window. */
  record(): void {
    this.taken.push(this.clock.now());
  }
}
