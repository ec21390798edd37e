/**
 * Workflow cancellation: the runner sends SIGINT, then SIGTERM, then kills.
 * `watchCancellation` turns the first of those signals into an aborted
 * AbortSignal, so waits end at once and cleanup (e.g. a stop call) can run.
 */

/** The part of `process` this needs; tests pass an EventEmitter. */
export interface SignalSource {
  on(event: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
  removeListener(event: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
}

export interface CancellationWatch {
  readonly signal: AbortSignal;
  /** The signal that arrived, once one has. */
  readonly received: () => 'SIGINT' | 'SIGTERM' | undefined;
  /** Stop listening (when the work finished normally). */
  dispose(): void;
}

export function watchCancellation(source: SignalSource = process): CancellationWatch {
  const controller = new AbortController();
  let received: 'SIGINT' | 'SIGTERM' | undefined;
  const handlers = (['SIGINT', 'SIGTERM'] as const).map((name) => {
    const handler = (): void => {
      received ??= name;
      controller.abort(new Error(`received ${name}`));
    };
    // `on`, not `once`: a second SIGINT must not fall back to Node's default of dying mid-cleanup.
    source.on(name, handler);
    return [name, handler] as const;
  });
  return {
    signal: controller.signal,
    received: () => received,
    dispose: () => handlers.forEach(([name, handler]) => source.removeListener(name, handler)),
  };
}
