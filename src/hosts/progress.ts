/**
 * Progress while ansible-playbook runs. On a terminal: one spinner line with
 * the current task. In CI or when piped: no spinner; Ansible's own output is
 * passed through line by line, which is what a CI log wants.
 */

export type ProgressMode = 'spinner' | 'log';

export function progressMode(env: Readonly<Record<string, string | undefined>>, isTTY: boolean): ProgressMode {
  const ci = env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0';
  return isTTY && !ci ? 'spinner' : 'log';
}

export interface Output {
  write(text: string): unknown;
}

const FRAMES = '⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏';

export class Progress {
  private frame = 0;
  private title = 'starting ansible-playbook';
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly out: Output, private readonly mode: ProgressMode) {}

  start(): void {
    if (this.mode !== 'spinner') return;
    this.timer = setInterval(() => this.draw(), 100);
  }

  /** A line of Ansible output, with the progress message the parser drew from it (if any). */
  line(line: string, message: string | undefined): void {
    if (this.mode === 'log') {
      this.out.write(`${line}\n`);
    } else if (message !== undefined) {
      this.title = message;
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.mode === 'spinner') this.out.write('\r\x1b[2K');
  }

  private draw(): void {
    const columns = (process.stderr as { columns?: number }).columns ?? 100;
    const text = `${FRAMES[this.frame++ % FRAMES.length]} ${this.title}`;
    this.out.write(`\r\x1b[2K${text.slice(0, Math.max(10, columns - 1))}`);
  }
}
