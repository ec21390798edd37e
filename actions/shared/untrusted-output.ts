/**
 * Output we pass through but did not write (a Dockerfile's RUN steps, the
 * Sonar scanner) may print lines that look like workflow commands
 * (`::add-mask::`, `::error::`, `::stop-commands::`). Between
 * `::stop-commands::<token>` and `::<token>::` the runner logs them and runs
 * none; the token is random, so the output cannot end the pause itself.
 * https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands#stopping-and-starting-workflow-commands
 */
import { Runner } from './runner';

/** Runs `work` with workflow commands paused, resuming them however it ends. */
export async function withCommandsStopped<T>(runner: Pick<Runner, 'stopCommands' | 'resumeCommands'>, work: () => Promise<T>): Promise<T> {
  const token = runner.stopCommands();
  try {
    return await work();
  } finally {
    runner.resumeCommands(token);
  }
}
