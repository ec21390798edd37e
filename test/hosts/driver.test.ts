/**
 * The driver's decisions, with its side effects replaced by a recording
 * DriverIO. The same flow runs against real hosts in real-hosts.test.ts.
 */
import { configureHosts, DriverError, type DriverIO } from '../../src/hosts/driver';
import type { DiscoveredHost } from '../../src/hosts/inventory';
import { parseOptions } from '../../src/hosts/options';
import { normaliseServiceOptions } from '../../src/spec';
import { seedOptions } from '../spec/fixtures';

const spec = normaliseServiceOptions(seedOptions());
const RECAP = (host: string, changed = 1, failed = 0) => `${host} : ok=5 changed=${changed} unreachable=0 failed=${failed} skipped=0 rescued=0 ignored=0`;

function fakeIO(over: Partial<DriverIO> & { discovered?: DiscoveredHost[]; playbookLines?: string[]; exitCode?: number } = {}) {
  const calls: string[] = [];
  let out = '';
  let written = '';
  const io: DriverIO = {
    out: { write: (s: string) => (out += s) },
    progressOut: { write: () => undefined },
    progressMode: 'log',
    fetch: async () => ({ status: 200, text: async () => 'node_exporter_build_info 1\nnamedprocess_scrape_errors 0' }),
    retry: { attempts: 1, delayMs: 0, timeoutMs: 100 },
    discover: async () => over.discovered ?? [],
    fileExists: async () => true,
    writeInventory: async (yaml) => {
      written = yaml;
      return '/tmp/inv.yml';
    },
    listInventory: async () => ({
      _meta: { hostvars: { 'i-1': { ansible_host: '10.0.0.1', ansible_connection: 'ansible.builtin.ssh' } } },
      slipway_hosts: { children: ['role_app'] },
      role_app: { hosts: ['i-1'] },
      stage_production: { hosts: ['i-1'] },
    }),
    listHosts: async () => [],
    runPlaybook: async (command, onLine) => {
      calls.push(command.args.join(' '));
      for (const line of over.playbookLines ?? ['PLAY RECAP ***', RECAP('i-1')]) onLine(line);
      return { exitCode: over.exitCode ?? 0, stderr: 'ERROR! the playbook could not be found' };
    },
    checkOnHosts: async () => new Map(),
    sleep: async () => undefined,
    ...over,
  };
  return { io, calls, out: () => out, written: () => written };
}

const running = (id: string, state = 'running'): DiscoveredHost => ({ instanceId: id, privateIp: '10.0.0.1', accountId: '123456789012', state });

describe('configureHosts', () => {
  test('discovers, writes the inventory, runs the playbook, checks the exporters, exits 0', async () => {
    const f = fakeIO({ discovered: [running('i-1')] });
    const result = await configureHosts(spec, '/repo', parseOptions(['--connection', 'ssh']), f.io);
    expect(result.exitCode).toBe(0);
    expect(f.written()).toContain('ansible_host: 10.0.0.1');
    expect(f.calls).toEqual(['--inventory /tmp/inv.yml --forks 20 /repo/ansible/site.yml']);
    expect(result.rows[0]).toMatchObject({ host: 'i-1', status: 'ok', exporters: [{ up: true }, { up: true }] });
    expect(f.out()).toContain('configure-hosts: 1 host(s) configured');
  });

  test('finding no running host is an error that says where it looked', async () => {
    const f = fakeIO({ discovered: [running('i-9', 'stopped')] });
    await expect(configureHosts(spec, '/repo', parseOptions([]), f.io)).rejects.toThrow(
      new DriverError(
        'no running hosts of stage \'production\' found in eu-west-1 by EC2 tags {"slipway:service":"flask-app","slipway:environment":"production"} and slipway:role=app; ' +
          'found only i-9 (stopped). Deploy the stage\'s hosts stack, or pass --inventory <file>',
      ),
    );
  });

  test('a stopped host next to running ones is named and fails the command', async () => {
    const f = fakeIO({ discovered: [running('i-1'), running('i-2', 'stopped')] });
    const result = await configureHosts(spec, '/repo', parseOptions(['--connection', 'ssh']), f.io);
    expect(result.exitCode).toBe(1);
    expect(result.failed).toEqual(['i-2']);
    expect(f.out()).toContain('1 of 2 host(s) not configured: i-2 (not running)');
  });

  test('ansible-playbook failing before any host ran surfaces its error output', async () => {
    const f = fakeIO({ playbookLines: [], exitCode: 1 });
    await expect(configureHosts(spec, '/repo', parseOptions(['--inventory', 'inv.yml']), f.io)).rejects.toThrow(/exited with 1 before configuring any host:\nERROR! the playbook could not be found/);
  });

  test('a non-zero exit after a clean recap is never reported as success', async () => {
    const f = fakeIO({ exitCode: 4 });
    const result = await configureHosts(spec, '/repo', parseOptions(['--inventory', 'inv.yml']), f.io);
    expect(result.exitCode).toBe(1);
    expect(f.out()).toContain('ansible-playbook exited with 4');
  });

  test('--limit that matches nothing stops before running anything', async () => {
    const f = fakeIO();
    await expect(configureHosts(spec, '/repo', parseOptions(['--inventory', 'inv.yml', '--limit', 'nope']), f.io)).rejects.toThrow("--limit 'nope' matches none of the hosts in inv.yml");
    expect(f.calls).toEqual([]);
  });

  test("an inventory whose hosts are not in the stage's group is refused before anything runs, naming the hosts and the group", async () => {
    const f = fakeIO({
      listInventory: async () => ({
        _meta: { hostvars: { 'i-1': {}, 'i-2': {} } },
        slipway_hosts: { hosts: ['i-1', 'i-2'] },
        stage_staging: { hosts: ['i-1', 'i-2'] },
        stage_production: { hosts: ['i-2'] },
      }),
    });
    await expect(configureHosts(spec, '/repo', parseOptions(['--inventory', 'inv.yml', '--limit', 'i-1']), f.io)).rejects.toThrow(
      new DriverError(
        "inventory inv.yml: host(s) i-1 are not in group 'stage_production', which gives stage 'production' its facts " +
          "(ansible/group_vars/stage_production/slipway.yml); list them under 'stage_production' as well, or name their stage with --stage",
      ),
    );
    expect(f.calls).toEqual([]);
  });

  test('--check runs a dry run and checks no exporter', async () => {
    let fetched = 0;
    const f = fakeIO({
      fetch: async () => {
        fetched++;
        return { status: 500, text: async () => '' };
      },
    });
    const result = await configureHosts(spec, '/repo', parseOptions(['--inventory', 'inv.yml', '--check']), f.io);
    expect(f.calls[0]).toContain('--check --diff');
    expect(fetched).toBe(0);
    expect(result.exitCode).toBe(0);
  });

  test('SSM hosts are checked from the host itself, on 127.0.0.1', async () => {
    const seen: string[] = [];
    const f = fakeIO({
      listInventory: async () => ({ _meta: { hostvars: { 'i-1': { ansible_connection: 'community.aws.aws_ssm' } } }, slipway_hosts: { hosts: ['i-1'] }, stage_production: { hosts: ['i-1'] } }),
      checkOnHosts: async (_inv, endpoints) => {
        for (const list of endpoints.values()) seen.push(...list.map((e) => e.url));
        return new Map([['i-1', [{ exporter: 'node_exporter', url: 'u', up: false, detail: 'HTTP 503 from u' }]]]);
      },
    });
    const result = await configureHosts(spec, '/repo', parseOptions(['--inventory', 'inv.yml', '--tags', 'node_exporter']), f.io);
    expect(seen).toEqual(['http://127.0.0.1:9100/metrics']);
    expect(result.rows[0]).toMatchObject({ status: 'exporter down', note: 'HTTP 503 from u' });
    expect(result.exitCode).toBe(1);
  });
});
