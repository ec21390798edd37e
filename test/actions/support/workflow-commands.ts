/**
 * The runner's reading of a step's stdout: a line starting with `::name ...::`
 * is a workflow command, except between `::stop-commands::<token>` and
 * `::<token>::`, where the runner only logs lines.
 * https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands#stopping-and-starting-workflow-commands
 */
export interface RunCommand {
  readonly name: string;
  readonly message: string;
}

/** The commands the runner would act on, in order. */
export function commandsTheRunnerRuns(stdout: string): RunCommand[] {
  const run: RunCommand[] = [];
  let stopToken: string | undefined;
  for (const raw of stdout.split(/\r?\n/)) {
    const match = /^::([^\s:]+)(?: [^:]*)?::(.*)$/.exec(raw.trimStart());
    if (!match) continue;
    const [, name, message] = match;
    if (stopToken !== undefined) {
      if (name === stopToken && message === '') stopToken = undefined;
      continue;
    }
    if (name === 'stop-commands') stopToken = message;
    else run.push({ name, message });
  }
  return run;
}
