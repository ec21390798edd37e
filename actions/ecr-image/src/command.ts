/**
 * Running builder commands: argv arrays only (never a shell string), secrets
 * only on stdin, output streamed to the log line by line.
 */
import { spawn } from 'child_process';
import { ActionError } from '../../shared';

export interface CommandResult {
  readonly stdout: string;
}

export interface CommandOptions {
  /** Written to the command's stdin, then closed (e.g. a registry password). */
  readonly stdin?: string;
  /** Extra environment for this command only. */
  readonly env?: NodeJS.ProcessEnv;
}

/** Runs argv; resolves with its stdout on exit 0, rejects with an ActionError otherwise. */
export type CommandRunner = (argv: readonly string[], options?: CommandOptions) => Promise<CommandResult>;

/** The last lines of a command's output, for an error message. */
function tail(text: string, lines = 15): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** A CommandRunner over child_process.spawn; each output line goes to `log`. */
export function spawnCommands(log: (line: string) => void, baseEnv: NodeJS.ProcessEnv = process.env): CommandRunner {
  return (argv, options = {}) => new Promise<CommandResult>((resolve, reject) => {
    const [command, ...args] = argv;
    log(`[command] ${argv.join(' ')}`);
    const child = spawn(command, args, { env: { ...baseEnv, ...options.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let output = '';
    const pass = (chunk: Buffer, keep: boolean): void => {
      const text = chunk.toString();
      if (keep) stdout += text;
      output += text;
      for (const line of text.split('\n')) if (line) log(line);
    };
    child.stdout.on('data', (chunk: Buffer) => pass(chunk, true));
    child.stderr.on('data', (chunk: Buffer) => pass(chunk, false));
    child.on('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'ENOENT'
        ? new ActionError(`'${command}' is not installed on this runner (or not on PATH); install it or choose the other builder.`)
        : new ActionError(`'${command}' could not be started: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      if (code === 0) resolve({ stdout });
      else reject(new ActionError(`'${argv.slice(0, 2).join(' ')}' ${signal ? `was killed by ${signal}` : `exited with code ${code}`}:\n${tail(output)}`));
    });
    child.stdin.end(options.stdin ?? '');
  });
}
