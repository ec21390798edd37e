/**
 * CPU-seconds the controller spent in child processes (ansible-playbook, its
 * forks and ssh clients) that this process has waited for, from
 * /proc/self/stat's cutime and cstime. Measured around a run, so the hosts'
 * own work (sshd, modules, systemd inside their containers) is not counted.
 */
import { execFileSync } from 'child_process';
import { readFileSync } from 'fs';

let ticksPerSecond: number | undefined;

/** cutime + cstime, fields 16 and 17 of proc(5)'s stat, after the parenthesised command name. */
export function childCpuTicks(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state), so field N is fields[N - 3].
  return Number(fields[16 - 3]) + Number(fields[17 - 3]);
}

export function childCpuSeconds(): number {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
  return childCpuTicks(readFileSync('/proc/self/stat', 'utf8')) / ticksPerSecond;
}
