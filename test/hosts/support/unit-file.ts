/**
 * Reads what a systemd unit runs: ExecStart (with its backslash line
 * continuations), User and Group, for assertions on the rendered unit. Pure.
 */

export interface UnitService {
  readonly argv: readonly string[];
  readonly user: string;
  readonly group: string;
}

export function parseUnitService(text: string): UnitService {
  const joined = text.replace(/\\\n/g, ' ');
  const section = /^\[Service\]\s*$([\s\S]*?)(?=^\[|(?![\s\S]))/m.exec(joined)?.[1];
  if (section === undefined) throw new Error('the unit has no [Service] section');
  const value = (key: string) => new RegExp(`^${key}=(.*)$`, 'm').exec(section)?.[1].trim();
  const exec = value('ExecStart');
  if (!exec) throw new Error('the unit has no ExecStart= in [Service]');
  const user = value('User') ?? 'root';
  return { argv: exec.split(/\s+/).filter((a) => a.length > 0), user, group: value('Group') ?? user };
}
