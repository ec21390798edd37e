/**
 * Reads what a systemd unit would run: ExecStart (with its backslash line
 * continuations), User and Group. The harness starts exporters this way on
 * test hosts that have no systemd. Pure.
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

/** uid and gid of a user and group, from the host's /etc/passwd and /etc/group text. */
export function lookupIds(passwd: string, groups: string, user: string, group: string): { uid: number; gid: number } {
  const uidLine = passwd.split('\n').find((l) => l.split(':')[0] === user);
  const gidLine = groups.split('\n').find((l) => l.split(':')[0] === group);
  if (!uidLine) throw new Error(`user '${user}' is not in the host's /etc/passwd`);
  if (!gidLine) throw new Error(`group '${group}' is not in the host's /etc/group`);
  return { uid: Number(uidLine.split(':')[2]), gid: Number(gidLine.split(':')[2]) };
}
