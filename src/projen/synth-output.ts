/**
 * What the main task keeps of `cdk synth`'s own output. With more than one
 * stack the CLI always ends with "Supply a stack id (…) to display its
 * template.", even with --quiet (which only stops a single stack's template
 * going to stdout: aws-cdk lib/cli/cdk-toolkit.js synth(), aws/aws-cdk#12178),
 * and no option lowers its log level. The summary that follows names every
 * stack and its template, so the hint only misleads there.
 */

const STACK_ID_HINT = /^Supply a stack id \(.*\) to display its template\.$/;

/** True for an output line the main task drops; every other line (warnings, errors, cdk-nag) passes. */
export function isDroppedSynthLine(line: string): boolean {
  return STACK_ID_HINT.test(line.trim());
}

/** Splits a stream into lines as chunks arrive, keeping what is not yet a whole line for the next chunk. */
export class LineSplitter {
  private rest = '';

  push(chunk: string): string[] {
    const text = this.rest + chunk;
    const lines = text.split('\n');
    this.rest = lines.pop() ?? '';
    return lines;
  }

  /** The last line, when the stream did not end with a newline. */
  end(): string[] {
    const last = this.rest;
    this.rest = '';
    return last === '' ? [] : [last];
  }
}
