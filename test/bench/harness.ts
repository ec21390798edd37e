/**
 * `npm run bench`: every figure is a ratio against a baseline measured in the
 * same process and the same run, so machine speed cancels out.
 */
import { performance } from 'perf_hooks';

export interface BenchFigure {
  /** What was measured, e.g. 'regenerate (npx projen)'. */
  readonly name: string;
  /** What it is compared against, e.g. 'stock awscdk-app-ts npx projen'. */
  readonly baseline: string;
  readonly baselineValue: number;
  readonly value: number;
  /** The unit of both values, e.g. 'ms', 'MiB', 'bytes', 'calls/min'. */
  readonly unit: string;
  /** The goal as a ratio (value / baselineValue ≤ goal), when one is set. */
  readonly goal?: number;
}

export interface BenchSuite {
  readonly name: string;
  run(): Promise<BenchFigure[]>;
}

/** The middle value (the upper middle of an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Wall time in ms of one synchronous run of `fn`. */
export function timedMs(fn: () => void): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

/** Median wall time in ms of `runs` executions of `fn` (after one warm-up when warm is true). */
export async function medianMs(fn: () => Promise<void> | void, runs = 3, warm = true): Promise<number> {
  if (warm) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return median(times);
}

export function ratio(f: BenchFigure): number {
  return f.value / f.baselineValue;
}

export function renderFigures(figures: readonly BenchFigure[]): string {
  const rows = figures.map((f) => {
    const r = ratio(f);
    const goal = f.goal === undefined ? '' : Number(f.goal.toFixed(2));
    const verdict = f.goal === undefined ? '' : r <= f.goal ? `meets goal ≤ ${goal}×` : `MISSES goal ≤ ${goal}×`;
    return `${f.name}: ${r.toFixed(2)}× ${f.baseline} (${f.value.toFixed(1)} vs ${f.baselineValue.toFixed(1)} ${f.unit}) ${verdict}`.trimEnd();
  });
  return rows.join('\n');
}
