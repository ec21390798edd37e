/**
 * The GitHub Actions runner protocol, spoken by @actions/core: inputs,
 * outputs, state, masking, groups, annotations and the job summary. Actions
 * take a `Runner` rather than calling core directly because core reads
 * process.env and writes process.stdout: with the seam, a test runs an
 * action in-process against a recording runner (test/actions/support/runner.ts)
 * whose output test/actions/shared/runner.test.ts checks against core's own.
 */
import { randomUUID } from 'crypto';
import * as core from '@actions/core';

/** Where an annotation points, as `::error file=...,line=...::` properties. */
export interface AnnotationProperties {
  readonly title?: string;
  readonly file?: string;
  readonly line?: number;
}

/** Everything an action needs from the runner. */
export interface Runner {
  /** The raw input value with surrounding whitespace trimmed; '' when the input is absent. */
  input(name: string): string;
  /** Tell the runner to mask `value` in every later log line. */
  setSecret(value: string): void;
  setOutput(name: string, value: string): void;
  info(message: string): void;
  debug(message: string): void;
  notice(message: string, properties?: AnnotationProperties): void;
  warning(message: string, properties?: AnnotationProperties): void;
  error(message: string, properties?: AnnotationProperties): void;
  startGroup(title: string): void;
  endGroup(): void;
  /** Save a value for this action's post step. */
  saveState(name: string, value: string): void;
  /** A value the main step saved with saveState; '' when none. */
  state(name: string): string;
  /** Append markdown to the job summary (to the log when there is no summary file). */
  appendSummary(markdown: string): Promise<void>;
  /** Mark the job failed with `message` (only `src/main.ts` calls this). */
  setFailed(message: string): void;
  /**
   * Stop the runner processing workflow commands (`::stop-commands::<token>`) until
   * resumeCommands(token); returns the fresh, unguessable token.
   */
  stopCommands(): string;
  /** Resume processing workflow commands (`::<token>::`). */
  resumeCommands(token: string): void;
}

/** core writes a key for every property given, even undefined ones (`::error ::`): pass only those set. */
function annotation(properties: AnnotationProperties): core.AnnotationProperties {
  const { title, file, line } = properties;
  return { ...(title !== undefined && { title }), ...(file !== undefined && { file }), ...(line !== undefined && { startLine: line }) };
}

/** The runner protocol as @actions/core implements it, over this process's environment and stdout. */
export class CoreRunner implements Runner {
  input(name: string): string {
    return core.getInput(name);
  }

  setSecret(value: string): void {
    if (value !== '') core.setSecret(value);
  }

  setOutput(name: string, value: string): void {
    core.setOutput(name, value);
  }

  info(message: string): void {
    core.info(message);
  }

  debug(message: string): void {
    core.debug(message);
  }

  notice(message: string, properties: AnnotationProperties = {}): void {
    core.notice(message, annotation(properties));
  }

  warning(message: string, properties: AnnotationProperties = {}): void {
    core.warning(message, annotation(properties));
  }

  error(message: string, properties: AnnotationProperties = {}): void {
    core.error(message, annotation(properties));
  }

  startGroup(title: string): void {
    core.startGroup(title);
  }

  endGroup(): void {
    core.endGroup();
  }

  saveState(name: string, value: string): void {
    core.saveState(name, value);
  }

  state(name: string): string {
    return core.getState(name);
  }

  async appendSummary(markdown: string): Promise<void> {
    // Outside a runner the summary still reaches a person through the log (core.summary would throw).
    if (!process.env.GITHUB_STEP_SUMMARY) {
      core.info(markdown);
      return;
    }
    await core.summary.addRaw(markdown, !markdown.endsWith('\n')).write();
  }

  setFailed(message: string): void {
    core.setFailed(message);
  }

  // core has no function for this pair: the command is a log line with a fresh, unguessable token.
  // https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands#stopping-and-starting-workflow-commands
  stopCommands(): string {
    const token = randomUUID();
    core.info(`::stop-commands::${token}`);
    return token;
  }

  resumeCommands(token: string): void {
    core.info(`::${token}::`);
  }
}
