import type { HostRecap } from '../../src/hosts/playbook-output';
import { failedHosts, hostRows, renderTable } from '../../src/hosts/table';
import type { ExporterCheck } from '../../src/hosts/verify';

const recap = (host: string, over: Partial<HostRecap> = {}): HostRecap => ({
  host, ok: 10, changed: 2, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0, ...over,
});
const up = (exporter: ExporterCheck['exporter'], isUp = true): ExporterCheck => ({ exporter, url: `http://x/${exporter}`, up: isUp, detail: isUp ? 'answers' : 'HTTP 503 from http://x' });

describe('hostRows', () => {
  const rows = hostRows({
    hosts: ['a', 'b', 'c', 'd', 'e'],
    recaps: [recap('a'), recap('b', { unreachable: 1, ok: 0, changed: 0 }), recap('c', { failed: 1 }), recap('d')],
    failures: [
      { host: 'b', kind: 'unreachable', task: 'Gathering Facts', message: 'Connection refused' },
      { host: 'c', kind: 'failed', task: 'node_exporter : Download', message: 'checksum did not match' },
    ],
    checks: new Map([
      ['a', [up('node_exporter'), up('process_exporter')]],
      ['d', [up('node_exporter'), up('process_exporter', false)]],
    ]),
    notRunning: new Map([['i-stopped', 'stopped']]),
    check: false,
  });

  test('gives each host one status with the reason', () => {
    expect(rows.map((r) => [r.host, r.status, r.note])).toEqual([
      ['a', 'ok', ''],
      ['b', 'unreachable', 'Connection refused'],
      ['c', 'failed', 'node_exporter : Download: checksum did not match'],
      ['d', 'exporter down', 'HTTP 503 from http://x'],
      ['e', 'not run', 'not in this run (outside --limit, or the play never reached it)'],
      ['i-stopped', 'not running', 'instance is stopped; start it and run again'],
    ]);
  });

  test('names every host that was not configured; hosts outside the run are not failures', () => {
    expect(failedHosts(rows)).toEqual(['b', 'c', 'd', 'i-stopped']);
  });

  test('renders reachable, changed and each exporter per host', () => {
    expect(renderTable(rows, ['node_exporter', 'process_exporter']).split('\n')).toEqual([
      'host       reachable  changed  node_exporter  process_exporter  status         note',
      '---------  ---------  -------  -------------  ----------------  -------------  ----------------------------------------',
      'a          yes        2        up             up                ok',
      'b          NO         0        -              -                 unreachable    Connection refused',
      'c          yes        2        -              -                 failed         node_exporter : Download: checksum did not match',
      'd          yes        2        up             DOWN              exporter down  HTTP 503 from http://x',
      'e          -          -        -              -                 not run        not in this run (outside --limit, or the play never reached it)',
      'i-stopped  NO         -        -              -                 not running    instance is stopped; start it and run again',
    ]);
  });

  test('a dry run says the exporters were not checked', () => {
    const [row] = hostRows({ hosts: ['a'], recaps: [recap('a')], failures: [], checks: new Map(), check: true });
    expect(row).toMatchObject({ status: 'ok', note: 'dry run: exporters not checked' });
  });
});
