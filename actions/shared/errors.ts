/**
 * Errors an action raises on purpose. `src/main.ts` of each action turns any
 * error into the job's failure; these carry the exact words a person reads.
 */

/** Fail the job with this message: it already says what was wrong and what to do. */
export class ActionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ActionError';
  }
}

/** An input was missing or malformed; the message names the input and the value seen. */
export class InputError extends ActionError {
  constructor(
    /** The input's name as written in the workflow, e.g. 'timeout-minutes'. */
    readonly input: string,
    message: string,
  ) {
    super(message);
    this.name = 'InputError';
  }
}

/** The poller's overall deadline passed before the remote work reached a final state. */
export class PollTimeoutError extends ActionError {
  constructor(
    message: string,
    /** The last state the poller saw, e.g. 'InProgress'. */
    readonly lastState: string | undefined,
  ) {
    super(message);
    this.name = 'PollTimeoutError';
  }
}

/** A failure that may pass on its own (HTTP 5xx, a broken connection): read-only polls retry a few in a row. */
export class TransientError extends ActionError {
  constructor(message: string) {
    super(message);
    this.name = 'TransientError';
  }
}

/** The workflow was cancelled (SIGINT/SIGTERM) while we were waiting. */
export class CancelledError extends ActionError {
  constructor(message = 'the workflow run was cancelled') {
    super(message);
    this.name = 'CancelledError';
  }
}

/**
 * The one-line failure text for any thrown value. An ActionError is already
 * written for a person; anything else is unexpected, so its type is named too.
 */
export function describeFailure(error: unknown): string {
  if (error instanceof ActionError) return error.message;
  if (error instanceof Error) {
    const name = error.name && error.name !== 'Error' ? `${error.name}: ` : '';
    return `unexpected error: ${name}${error.message}`;
  }
  return `unexpected error: ${String(error)}`;
}
