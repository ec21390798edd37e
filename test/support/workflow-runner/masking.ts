/**
 * The runner's secret masking, as actions/runner applies it (src/Runner.Worker/JobExtension.cs,
 * SecretMasker): every value registered with `::add-mask::` (or `core.setSecret`) is a secret; a job
 * output whose value is empty is not set ("Skip output 'x' since it's empty"), and one that contains any
 * secret is not set either ("Skip output 'x' since it may contain secret"). Pure.
 */

/** `::add-mask::<value>` lines in a step's stdout, unescaped as the runner reads them (%25 %0D %0A). */
export function masksIn(stdout: string): string[] {
  return stdout
    .split('\n')
    .map((line) => /^::add-mask::(.*)$/.exec(line.replace(/\r$/, ''))?.[1])
    .filter((value): value is string => value !== undefined && value !== '')
    .map((value) => value.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%'));
}

/** What the log shows for `value`: every secret replaced by ***. */
export function maskSecrets(value: string, secrets: readonly string[]): string {
  return [...secrets].filter((s) => s !== '').sort((a, b) => b.length - a.length).reduce((text, secret) => text.split(secret).join('***'), value);
}

export interface JobOutputsResult {
  /** Outputs the runner sets for `needs.<job>.outputs`. */
  readonly set: Record<string, string>;
  /** Outputs it drops, with the runner's own words. */
  readonly skipped: Record<string, string>;
}

/** The runner's job-output rule over evaluated outputs and the secrets registered in the job. */
export function applyJobOutputRule(outputs: Readonly<Record<string, string>>, secrets: readonly string[]): JobOutputsResult {
  const set: Record<string, string> = {};
  const skipped: Record<string, string> = {};
  for (const [name, value] of Object.entries(outputs)) {
    if (value === '') skipped[name] = `Skip output '${name}' since it's empty`;
    else if (maskSecrets(value, secrets) !== value) skipped[name] = `Skip output '${name}' since it may contain secret.`;
    else set[name] = value;
  }
  return { set, skipped };
}
