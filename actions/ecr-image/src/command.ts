/**
 * Running builder commands: argv arrays only (never a shell string), secrets
 * only on stdin, output streamed to the log line by line.
 */
import { spawn } from 'child_process';
import { ActionError, CancelledError } from '../../shared';

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

/**
 * A CommandRunner over child_process.spawn; each output line goes to `log`.
 * When `signal` aborts (the workflow run is cancelled), the running command
 * gets SIGTERM — docker and buildah then stop the build — instead of running
 * on until the runner kills the whole process tree.
 */
export function spawnCommands(log: (line: string) => void, baseEnv: NodeJS.ProcessEnv = process.env, signal?: AbortSignal): CommandRunner {
  return (argv, options = {}) => new Promise<CommandResult>((resolve, reject) => {
    const [command, ...args] = argv;
    if (signal?.aborted) {
      reject(new CancelledError(`the workflow run was cancelled before '${argv.slice(0, 2).join(' ')}' started`));
      return;
    }
    log(`[command] ${argv.join(' ')}`);
    const stdio = [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] as const;
    const child = spawn(command, args, { env: { ...baseEnv, ...options.env }, stdio: [...stdio], signal, killSignal: 'SIGTERM' });
    let stdout = '';
    let output = '';
    // Chunks can end mid-line: keep each stream's unfinished line until its newline (or the end).
    const partial = { stdout: '', stderr: '' };
    const pass = (stream: keyof typeof partial, text: string): void => {
      if (stream === 'stdout') stdout += text;
      output += text;
      const lines = (partial[stream] + text).split('\n');
      partial[stream] = lines.pop() ?? '';
      for (const line of lines) if (line) log(line);
    };
    child.stdout!.setEncoding('utf8').on('data', (text: string) => pass('stdout', text));
    child.stderr!.setEncoding('utf8').on('data', (text: string) => pass('stderr', text));
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.name === 'AbortError') return reject(new CancelledError(`the workflow run was cancelled: stopped '${argv.slice(0, 2).join(' ')}' (SIGTERM)`));
      reject(error.code === 'ENOENT'
        ? new ActionError(`'${command}' is not installed on this runner (or not on PATH); install it or choose the other builder.`)
        : new ActionError(`'${command}' could not be started: ${error.message}`));
    });
    child.on('close', (code, killedBy) => {
      for (const rest of Object.values(partial)) if (rest) log(rest);
      if (code === 0) resolve({ stdout });
      else reject(new ActionError(`'${argv.slice(0, 2).join(' ')}' ${killedBy ? `was killed by ${killedBy}` : `exited with code ${code}`}:\n${tail(output)}`));
    });
    if (options.stdin !== undefined && child.stdin) {
      // A command that exits without reading stdin closes the pipe (EPIPE); its exit code tells what happened.
      child.stdin.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EPIPE') log(`could not write to '${command}' stdin: ${error.message}`);
      });
      child.stdin.end(options.stdin);
    }
  });
}
