/**
 * A recording Runner for in-process action tests: it writes the runner's
 * file formats (GITHUB_OUTPUT / GITHUB_STATE heredocs, the summary file) to a
 * temp dir and the workflow commands to a string, so tests set inputs and read
 * back outputs, state, summary and log commands. test/actions/shared/runner.test.ts
 * holds it to what @actions/core writes for the same calls (CoreRunner).
 */
import { randomUUID } from 'crypto';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { EOL, tmpdir } from 'os';
import { join } from 'path';
import { AnnotationProperties, Runner } from '../../../actions/shared/runner';

/** `%`, CR and LF are the characters the runner decodes in a command's message. */
export function escapeCommandData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A property value also may not contain the `:` and `,` that delimit properties. */
function escapeCommandProperty(value: string): string {
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

/** The environment variable the runner sets for input `name`: 'pipeline-name' → INPUT_PIPELINE-NAME. */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

/** Parse `name<<delimiter … delimiter` file commands (GITHUB_OUTPUT / GITHUB_STATE) into a map. */
export function parseFileCommands(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<]+)<<(.+)$/.exec(lines[i]);
    if (!match) continue;
    const [, name, delimiter] = match;
    const end = lines.indexOf(delimiter, i + 1);
    if (end < 0) throw new Error(`file command ${name} has no closing delimiter ${delimiter}`);
    result[name] = lines.slice(i + 1, end).join('\n');
    i = end;
  }
  return result;
}

interface RecordingOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly write: (text: string) => void;
  readonly fail: () => void;
}

/** Writes what @actions/core would for each call, to the files and the log the options name. */
export class RecordingRunner implements Runner {
  constructor(private readonly options: RecordingOptions) {}

  input(name: string): string {
    return (this.options.env[inputVariable(name)] ?? '').trim();
  }

  setSecret(value: string): void {
    if (value !== '') this.command('add-mask', value);
  }

  setOutput(name: string, value: string): void {
    this.fileCommand('GITHUB_OUTPUT', name, value);
  }

  info(message: string): void {
    this.options.write(`${message}${EOL}`);
  }

  debug(message: string): void {
    this.command('debug', message);
  }

  notice(message: string, properties: AnnotationProperties = {}): void {
    this.command('notice', message, this.annotation(properties));
  }

  warning(message: string, properties: AnnotationProperties = {}): void {
    this.command('warning', message, this.annotation(properties));
  }

  error(message: string, properties: AnnotationProperties = {}): void {
    this.command('error', message, this.annotation(properties));
  }

  startGroup(title: string): void {
    this.command('group', title);
  }

  endGroup(): void {
    this.command('endgroup', '');
  }

  saveState(name: string, value: string): void {
    this.fileCommand('GITHUB_STATE', name, value);
  }

  state(name: string): string {
    return this.options.env[`STATE_${name}`] ?? '';
  }

  async appendSummary(markdown: string): Promise<void> {
    appendFileSync(this.options.env.GITHUB_STEP_SUMMARY!, markdown.endsWith('\n') ? markdown : `${markdown}${EOL}`);
  }

  setFailed(message: string): void {
    this.error(message);
    this.options.fail();
  }

  stopCommands(): string {
    const token = randomUUID();
    this.info(`::stop-commands::${token}`);
    return token;
  }

  resumeCommands(token: string): void {
    this.info(`::${token}::`);
  }

  private annotation(properties: AnnotationProperties): Record<string, string | number | undefined> {
    return { title: properties.title, file: properties.file, line: properties.line };
  }

  private command(name: string, message: string, properties: Record<string, string | number | undefined> = {}): void {
    this.options.write(`${formatCommand(name, message, properties)}${EOL}`);
  }

  private fileCommand(variable: string, name: string, value: string): void {
    const delimiter = `ghadelimiter_${randomUUID()}`;
    appendFileSync(this.options.env[variable]!, `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`);
  }
}

export interface TestRunner {
  readonly runner: RecordingRunner;
  readonly env: NodeJS.ProcessEnv;
  /** Everything written to stdout. */
  readonly log: () => string;
  readonly outputs: () => Record<string, string>;
  readonly state: () => Record<string, string>;
  readonly summary: () => string;
  /** True once setFailed was called. */
  readonly failed: () => boolean;
  readonly cleanup: () => void;
}

/** A runner whose inputs are `inputs` (by input name) and whose files live in a fresh temp dir. */
export function testRunner(inputs: Readonly<Record<string, string>> = {}, extraEnv: NodeJS.ProcessEnv = {}): TestRunner {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-runner-'));
  const files = { GITHUB_OUTPUT: join(dir, 'output'), GITHUB_STATE: join(dir, 'state'), GITHUB_STEP_SUMMARY: join(dir, 'summary') };
  for (const path of Object.values(files)) writeFileSync(path, '');
  const env: NodeJS.ProcessEnv = { ...files, ...extraEnv };
  for (const [name, value] of Object.entries(inputs)) env[inputVariable(name)] = value;
  let written = '';
  let failed = false;
  const runner = new RecordingRunner({ env, write: (text) => { written += text; }, fail: () => { failed = true; } });
  return {
    runner,
    env,
    log: () => written,
    outputs: () => parseFileCommands(readFileSync(files.GITHUB_OUTPUT, 'utf8')),
    state: () => parseFileCommands(readFileSync(files.GITHUB_STATE, 'utf8')),
    summary: () => readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'),
    failed: () => failed,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
