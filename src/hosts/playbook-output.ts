/**
 * Reads ansible-playbook's default output: progress (plays and tasks), each
 * host's failure message, and the PLAY RECAP counts. Pure: lines in, facts out.
 */

export interface HostRecap {
  readonly host: string;
  readonly ok: number;
  readonly changed: number;
  readonly unreachable: number;
  readonly failed: number;
  readonly skipped: number;
  readonly rescued: number;
  readonly ignored: number;
}

export interface HostFailure {
  readonly host: string;
  readonly kind: 'unreachable' | 'failed';
  readonly task: string;
  readonly message: string;
}

const RECAP =
  /^(\S+)\s+:\s+ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)(?:\s+skipped=(\d+))?(?:\s+rescued=(\d+))?(?:\s+ignored=(\d+))?\s*$/;
const TASK = /^(TASK|RUNNING HANDLER) \[(.+)\] \**\s*$/;
const PLAY = /^PLAY \[(.*)\] \**\s*$/;
// Loop items fail as `failed: [h] (item=x) => {...}`, without the FAILED! marker.
// A task delegated to the controller names both: `fatal: [web-2 -> localhost]: FAILED!`; the failure is web-2's.
const FATAL = /^(?:fatal|failed): \[([^\]\s]+)(?: -> [^\]]+)?\](?: \(item=.*?\))?(?:: (UNREACHABLE|FAILED)!)? => (.*)$/;

/** Folds ansible-playbook output one line at a time; `recaps` and `failures` are complete after the last line. */
export class PlaybookOutput {
  private readonly recapByHost = new Map<string, HostRecap>();
  private readonly failureByHost = new Map<string, HostFailure>();
  private inRecap = false;
  private task = '';
  private tasksSeen = 0;

  /** Returns a progress message when the line starts a play or a task. */
  feed(line: string): string | undefined {
    const text = line.replace(/\r$/, '');
    if (text.startsWith('PLAY RECAP')) {
      this.inRecap = true;
      return 'recap';
    }
    if (this.inRecap) {
      const m = RECAP.exec(text);
      if (m) {
        const n = (i: number) => Number(m[i] ?? 0);
        this.recapByHost.set(m[1], {
          host: m[1], ok: n(2), changed: n(3), unreachable: n(4), failed: n(5), skipped: n(6), rescued: n(7), ignored: n(8),
        });
      }
      return undefined;
    }
    const task = TASK.exec(text);
    if (task) {
      this.task = task[2];
      this.tasksSeen++;
      return `${task[1] === 'TASK' ? 'task' : 'handler'} ${this.tasksSeen}: ${task[2]}`;
    }
    const play = PLAY.exec(text);
    if (play) return `play: ${play[1]}`;
    const fatal = FATAL.exec(text);
    if (fatal) {
      const [, host, kind, detail] = fatal;
      // The first failure on a host is the cause; a host stops at its first failure anyway.
      if (!this.failureByHost.has(host)) {
        this.failureByHost.set(host, {
          host,
          kind: kind === 'UNREACHABLE' ? 'unreachable' : 'failed',
          task: this.task,
          message: failureMessage(detail),
        });
      }
    }
    return undefined;
  }

  get recaps(): readonly HostRecap[] {
    return [...this.recapByHost.values()];
  }

  get failures(): readonly HostFailure[] {
    return [...this.failureByHost.values()];
  }
}

/** The `msg` of a failure's JSON, or the raw text when it is not JSON. */
export function failureMessage(detail: string): string {
  try {
    const parsed = JSON.parse(detail) as { msg?: unknown; stderr?: unknown };
    const msg = typeof parsed.msg === 'string' ? parsed.msg : '';
    const stderr = typeof parsed.stderr === 'string' ? parsed.stderr : '';
    return [msg, stderr].filter((s) => s.length > 0).join(': ').trim() || detail;
  } catch {
    return detail.trim();
  }
}

export function parsePlaybookOutput(text: string): PlaybookOutput {
  const out = new PlaybookOutput();
  for (const line of text.split('\n')) out.feed(line);
  return out;
}
