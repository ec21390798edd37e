/**
 * How a rejected spec ends a `.projenrc.ts` run: the problem list alone on
 * stderr and exit status 1, instead of an uncaught exception (Node's stack
 * trace, the error's own properties dumped again, the Node version line).
 * Anywhere else (tests, other programs building a project) the error is thrown.
 */
import { writeSync } from 'fs';
import { basename } from 'path';
import { EstateSpec, SpecValidationError, normaliseEstate } from '../spec';

/** The two effects of ending the run, injectable for tests. */
export interface RunExit {
  /** True when this process runs `.projenrc.ts` as its entry script (what `npx projen` does). */
  readonly isProjenrcRun: boolean;
  /** Writes the message and stops the process with a non-zero status. */
  readonly reject: (message: string) => never;
}

export const PROJENRC_FILE = '.projenrc.ts';

/** The real process: tsx puts the script it runs in argv[1]. */
export function processRunExit(): RunExit {
  return {
    isProjenrcRun: basename(process.argv[1] ?? '') === PROJENRC_FILE,
    reject: (message) => {
      // writeSync: the message must be out before exit, whatever stderr is (pipe, file or terminal).
      writeSync(2, `${message}\n`);
      process.exit(1);
    },
  };
}

/** Normalises the options; a rejected spec ends a `.projenrc.ts` run with the problem list, and throws elsewhere. */
export function normaliseForProjenrc(options: unknown, exit: RunExit = processRunExit()): EstateSpec {
  try {
    return normaliseEstate(options);
  } catch (e) {
    if (e instanceof SpecValidationError && exit.isProjenrcRun) exit.reject(e.message);
    throw e;
  }
}
