/**
 * The GitHub Actions runner protocol: inputs from INPUT_* variables, workflow
 * commands on stdout, outputs/state/summary appended to the files the runner
 * names. Written here rather than taken from @actions/core because core v3 is
 * ESM-only (jest cannot load it) and drags ~420 KB of HTTP client (undici,
 * for OIDC we never use) into every bundle.
 */
import { randomUUID } from 'crypto';
import { appendFileSync } from 'fs';
import { EOL } from 'os';

/** Where an annotation points, as `::error file=...,line=...::` properties. */
export interface AnnotationProperties {
  readonly title?: string;
  readonly file?: string;
  readonly line?: number;
}

/** Everything an action needs from the runner; tests construct a real one over temp files. */
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
  /** Append markdown to the job summary. */
  appendSummary(markdown: string): void;
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

export interface ProcessRunnerOptions {
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Where workflow commands and log lines go. @default process.stdout */
  readonly write?: (text: string) => void;
  /** @default fs.appendFileSync */
  readonly appendFile?: (path: string, text: string) => void;
  /** Called by setFailed. @default sets process.exitCode = 1 */
  readonly fail?: () => void;
}

/** `%`, CR and LF are the characters the runner decodes in a command's message. */
export function escapeCommandData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A property value also may not contain the `:` and `,` that delimit properties. */
export function escapeCommandProperty(value: string): string {
  return escapeCommandData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** `::name key=value,...::message` as the runner parses it. */
export function formatCommand(name: string, message: string, properties: Readonly<Record<string, string | number | undefined>> = {}): string {
  const props = Object.entries(properties)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined && entry[1] !== '')
    .map(([key, value]) => `${key}=${escapeCommandProperty(String(value))}`)
    .join(',');
  return `::${name}${props ? ` ${props}` : ''}::${escapeCommandData(message)}`;
}

/** `name<<delimiter` heredoc for GITHUB_OUTPUT / GITHUB_STATE, with a delimiter the value cannot contain. */
export function formatFileCommand(name: string, value: string, delimiter = `ghadelimiter_${randomUUID()}`): string {
  if (name.includes(delimiter) || value.includes(delimiter)) {
    throw new Error(`cannot write '${name}': its name or value contains the delimiter ${delimiter}`);
  }
  return `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`;
}

/** The environment variable the runner sets for input `name`: 'pipeline-name' → INPUT_PIPELINE-NAME. */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

/** The runner protocol over a process's environment, stdout and the runner's files. */
export class ProcessRunner implements Runner {
  private readonly env: NodeJS.ProcessEnv;
  private readonly write: (text: string) => void;
  private readonly appendFile: (path: string, text: string) => void;
  private readonly fail: () => void;

  constructor(options: ProcessRunnerOptions = {}) {
    this.env = options.env ?? process.env;
    this.write = options.write ?? ((text) => void process.stdout.write(text));
    this.appendFile = options.appendFile ?? ((path, text) => appendFileSync(path, text, 'utf8'));
    this.fail = options.fail ?? (() => { process.exitCode = 1; });
  }

  input(name: string): string {
    return (this.env[inputVariable(name)] ?? '').trim();
  }

  setSecret(value: string): void {
    if (value === '') return;
    this.command('add-mask', value);
  }

  setOutput(name: string, value: string): void {
    this.fileCommand('GITHUB_OUTPUT', name, value, () => this.info(`output ${name}=${value}`));
  }

  info(message: string): void {
    this.write(`${message}${EOL}`);
  }

  debug(message: string): void {
    this.command('debug', message);
  }

  notice(message: string, properties: AnnotationProperties = {}): void {
    this.command('notice', message, { ...properties });
  }

  warning(message: string, properties: AnnotationProperties = {}): void {
    this.command('warning', message, { ...properties });
  }

  error(message: string, properties: AnnotationProperties = {}): void {
    this.command('error', message, { ...properties });
  }

  startGroup(title: string): void {
    this.command('group', title);
  }

  endGroup(): void {
    this.command('endgroup', '');
  }

  saveState(name: string, value: string): void {
    // Without GITHUB_STATE there is no post step to read it, so dropping it loses nothing.
    this.fileCommand('GITHUB_STATE', name, value, () => this.debug(`no GITHUB_STATE file; state ${name} not saved`));
  }

  state(name: string): string {
    return this.env[`STATE_${name}`] ?? '';
  }

  appendSummary(markdown: string): void {
    const path = this.env.GITHUB_STEP_SUMMARY;
    if (!path) {
      // Outside a runner the summary still reaches a person through the log.
      this.info(markdown);
      return;
    }
    this.appendFile(path, markdown.endsWith(EOL) ? markdown : `${markdown}${EOL}`);
  }

  setFailed(message: string): void {
    this.error(message);
    this.fail();
  }

  stopCommands(): string {
    const token = randomUUID();
    this.command('stop-commands', token);
    return token;
  }

  resumeCommands(token: string): void {
    this.write(`::${token}::${EOL}`);
  }

  private command(name: string, message: string, properties: Record<string, string | number | undefined> = {}): void {
    this.write(`${formatCommand(name, message, properties)}${EOL}`);
  }

  private fileCommand(variable: string, name: string, value: string, whenAbsent: () => void): void {
    const path = this.env[variable];
    if (!path) {
      whenAbsent();
      return;
    }
    this.appendFile(path, formatFileCommand(name, value));
  }
}
