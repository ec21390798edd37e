/**
 * Runs a committed action bundle the way the runner does: `node dist/x.js`
 * with INPUT_* variables and the runner's files, nothing else inherited
 * except PATH (so no developer credentials leak in).
 */
import { ChildProcess, spawn } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { inputVariable, parseFileCommands } from './runner';

export interface BundleRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly outputs: Record<string, string>;
  readonly state: Record<string, string>;
  readonly summary: string;
}

export interface BundleRunOptions {
  readonly inputs?: Readonly<Record<string, string>>;
  readonly env?: NodeJS.ProcessEnv;
  /** The working directory, where the action resolves relative paths. @default this process's */
  readonly cwd?: string;
  /** Called once the process is running (e.g. to signal it later). */
  readonly started?: (child: ChildProcess) => void;
  /** An argv the bundle runs under, e.g. ['unshare', '--mount', ...]; the node command is appended. @default - none */
  readonly wrapper?: readonly string[];
  /** Kill the process after this long. @default 60 000 */
  readonly timeoutMs?: number;
}

/** The environment every bundle run starts from: a runner-like run context, test credentials. */
export const RUNNER_ENV: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  GITHUB_RUN_ID: '4242',
  GITHUB_RUN_ATTEMPT: '1',
  GITHUB_REPOSITORY: 'slipway-dev/flask-app',
  GITHUB_JOB: 'deploy',
  GITHUB_ACTION: '__slipway_test',
  GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'AKIDTESTTESTTEST',
  AWS_SECRET_ACCESS_KEY: 'test-secret',
  AWS_EC2_METADATA_DISABLED: 'true',
  NODE_NO_WARNINGS: '1',
};

export async function runBundle(bundle: string, options: BundleRunOptions = {}): Promise<BundleRun> {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-bundle-'));
  const files = { GITHUB_OUTPUT: join(dir, 'output'), GITHUB_STATE: join(dir, 'state'), GITHUB_STEP_SUMMARY: join(dir, 'summary') };
  for (const path of Object.values(files)) writeFileSync(path, '');
  const env: NodeJS.ProcessEnv = { ...RUNNER_ENV, ...files, ...options.env };
  for (const [name, value] of Object.entries(options.inputs ?? {})) env[inputVariable(name)] = value;
  try {
    const [command, ...args] = [...(options.wrapper ?? []), process.execPath, bundle];
    const child = spawn(command, args, { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    options.started?.(child);
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (c, s) => resolve([c, s])));
    clearTimeout(timer);
    return {
      code,
      signal,
      stdout,
      stderr,
      outputs: parseFileCommands(readFileSync(files.GITHUB_OUTPUT, 'utf8')),
      state: parseFileCommands(readFileSync(files.GITHUB_STATE, 'utf8')),
      summary: readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A `started` callback that sends `signal` once stdout shows `text`: a workflow cancelled while the action waits. */
export function signalOnOutput(text: string, signal: NodeJS.Signals): (child: ChildProcess) => void {
  return (child) => {
    let seen = '';
    const watch = (data: Buffer): void => {
      seen += data.toString();
      if (!seen.includes(text)) return;
      child.stdout?.off('data', watch);
      child.kill(signal);
    };
    child.stdout?.on('data', watch);
  };
}
