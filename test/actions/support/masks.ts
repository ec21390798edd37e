/**
 * The runner's rule for job outputs: a value containing any string the job
 * registered with add-mask is dropped ("Skip output '<name>' since it may
 * contain secret"), so the next job receives ''. This reads the masks a run
 * registered from its stdout and names every output that would be dropped.
 */

/** Every value registered with `::add-mask::` in a step's stdout (decoded as the runner decodes command data). */
export function registeredMasks(stdout: string): string[] {
  return stdout.split(/\r?\n/)
    .filter((line) => line.startsWith('::add-mask::'))
    .map((line) => line.slice('::add-mask::'.length).replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%'))
    .filter((mask) => mask !== '');
}

/** `name: mask` for each output the runner would skip because it contains a masked value. */
export function outputsTheRunnerWouldDrop(outputs: Readonly<Record<string, string>>, masks: readonly string[]): string[] {
  return Object.entries(outputs).flatMap(([name, value]) => masks.filter((m) => value.includes(m)).map((m) => `${name} contains '${m}'`));
}
