/**
 * A real ProcessRunner over temp files, as the GitHub runner would give it:
 * tests set inputs, then read back outputs, state, summary and log commands
 * through the same file formats the runner parses.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { ProcessRunner, inputVariable } from '../../../actions/shared/runner';

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

export interface TestRunner {
  readonly runner: ProcessRunner;
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
  const runner = new ProcessRunner({ env, write: (text) => { written += text; }, fail: () => { failed = true; } });
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
