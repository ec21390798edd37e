/**
 * The per-host result of a run (reachable, changed, exporters up) and its
 * table. Pure: recap, failures and checks in; rows and text out.
 */
import type { HostFailure, HostRecap } from './playbook-output';
import type { ExporterCheck, ExporterName } from './verify';

export type HostStatus = 'ok' | 'failed' | 'unreachable' | 'exporter down' | 'not run' | 'not running';

export interface HostRow {
  readonly host: string;
  readonly reachable: boolean | undefined;
  readonly changed: number | undefined;
  readonly exporters: readonly ExporterCheck[];
  readonly status: HostStatus;
  readonly note: string;
}

export interface RowInput {
  readonly hosts: readonly string[];
  readonly recaps: readonly HostRecap[];
  readonly failures: readonly HostFailure[];
  readonly checks: ReadonlyMap<string, readonly ExporterCheck[]>;
  /** Hosts found but not running (stopped, missing), with their state. */
  readonly notRunning?: ReadonlyMap<string, string>;
  readonly check: boolean;
}

export function hostRows(input: RowInput): HostRow[] {
  const recapOf = new Map(input.recaps.map((r) => [r.host, r]));
  const failureOf = new Map(input.failures.map((f) => [f.host, f]));
  const names = [...input.hosts, ...input.recaps.map((r) => r.host).filter((h) => !input.hosts.includes(h))];
  const rows: HostRow[] = names.map((host) => {
    const recap = recapOf.get(host);
    const failure = failureOf.get(host);
    const exporters = input.checks.get(host) ?? [];
    if (!recap) {
      return { host, reachable: undefined, changed: undefined, exporters, status: 'not run', note: 'not in this run (outside --limit, or the play never reached it)' };
    }
    const reachable = recap.unreachable === 0;
    if (!reachable) {
      return { host, reachable, changed: recap.changed, exporters, status: 'unreachable', note: failure?.message ?? 'unreachable' };
    }
    if (recap.failed > 0) {
      const where = failure?.task ? `${failure.task}: ` : '';
      return { host, reachable, changed: recap.changed, exporters, status: 'failed', note: `${where}${failure?.message ?? 'a task failed'}` };
    }
    const down = exporters.filter((e) => !e.up);
    if (down.length > 0) {
      return { host, reachable, changed: recap.changed, exporters, status: 'exporter down', note: down.map((e) => e.detail).join('; ') };
    }
    return { host, reachable, changed: recap.changed, exporters, status: 'ok', note: input.check ? 'dry run: exporters not checked' : '' };
  });
  for (const [host, state] of input.notRunning ?? new Map<string, string>()) {
    rows.push({ host, reachable: false, changed: undefined, exporters: [], status: 'not running', note: `instance is ${state}; start it and run again` });
  }
  return rows;
}

export function failedHosts(rows: readonly HostRow[]): string[] {
  return rows.filter((r) => r.status !== 'ok' && r.status !== 'not run').map((r) => r.host);
}

function exporterCell(row: HostRow, exporter: ExporterName): string {
  const check = row.exporters.find((e) => e.exporter === exporter);
  return check ? (check.up ? 'up' : 'DOWN') : '-';
}

export function renderTable(rows: readonly HostRow[], exporters: readonly ExporterName[]): string {
  const header = ['host', 'reachable', 'changed', ...exporters, 'status', 'note'];
  const body = rows.map((r) => [
    r.host,
    r.reachable === undefined ? '-' : r.reachable ? 'yes' : 'NO',
    r.changed === undefined ? '-' : String(r.changed),
    ...exporters.map((e) => exporterCell(r, e)),
    r.status,
    r.note,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(header), line(widths.map((w, i) => (i === widths.length - 1 ? '-'.repeat(Math.max(4, Math.min(w, 40))) : '-'.repeat(w)))), ...body.map(line)].join('\n');
}
