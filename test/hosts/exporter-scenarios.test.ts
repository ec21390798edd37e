/**
 * The community node_exporter role's test scenarios (molecule default and
 * alternative: a port held for a while, TLS, several listen addresses, no
 * textfile directory, ProtectHome) run against hosts our role configures,
 * on systemd-booted test hosts so the real init decides what happens.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { stringify } from 'yaml';
import { configureHosts, type DriverResult } from '../../src/hosts/driver';
import { buildInventory } from '../../src/hosts/inventory';
import { realIO } from '../../src/hosts/io';
import { parseOptions } from '../../src/hosts/options';
import { exporterRelease, readSpecFile, selectStage, type EstateSpec, type ServiceSpec } from '../../src/spec';
import { describeWithTools } from '../support/real-tools';
import { NODE_EXPORTER, buildRelease, serveReleases, type ReleaseServer } from './support/release-server';
import { TestNetwork, type TestHost } from './support/test-hosts';

const REPO = resolve(__dirname, '../..');
const firstStage = (estate: EstateSpec): ServiceSpec => selectStage(estate, estate.stages[0].environment);

describeWithTools(
  'node_exporter scenarios on systemd-booted hosts',
  { commands: ['ansible-playbook', 'debootstrap', 'systemd-nspawn', 'prometheus-node-exporter', 'nsenter', 'unshare', 'ip', 'ssh-keygen', 'flock'], root: true },
  () => {
    jest.setTimeout(10 * 60 * 1000);

    let spec: ServiceSpec;
    let net: TestNetwork;
    let server: ReleaseServer;
    let dir: string;
    let held: TestHost;
    let other: TestHost;

    async function configure(host: TestHost, vars: Record<string, unknown> = {}): Promise<{ result: DriverResult; out: string }> {
      const inventory = join(dir, `${host.name}-${Date.now()}.yml`);
      const hostVars = {
        ...net.hostVars(host),
        exporter_common_cache_dir: join(dir, 'release-cache'),
        node_exporter_release_url: exporterRelease(NODE_EXPORTER, spec.monitoring.nodeExporterVersion, server.mirror).url,
        ...vars,
      };
      writeFileSync(inventory, stringify(buildInventory(spec, [{ name: host.name, vars: hostVars }])));
      let out = '';
      const sink = { write: (s: string) => (out += s) };
      const io = realIO({ repoRoot: REPO, out: sink, progressOut: sink, env: { ...process.env, CI: 'true' } });
      const result = await configureHosts(spec, REPO, parseOptions(['--inventory', inventory, '--tags', 'node_exporter']), io);
      return { result, out };
    }

    const metrics = async (host: TestHost, port: number) => (await fetch(`http://${host.address}:${port}/metrics`)).text();
    const show = (host: TestHost, ...props: string[]) =>
      Object.fromEntries(net.exec(host, ['systemctl', 'show', 'node_exporter', ...props.flatMap((p) => ['-p', p])]).stdout.trim().split('\n').map((l) => l.split('=', 2) as [string, string]));

    beforeAll(async () => {
      // The first stage, where every build lands first; the exporters (versions, ports) are the same in every stage.
      spec = firstStage(readSpecFile(REPO));
      dir = mkdtempSync(join(tmpdir(), 'slipway-scenarios-'));
      net = new TestNetwork('sc');
      [held, other] = await net.addHosts(2);
      server = await serveReleases([buildRelease(dir, NODE_EXPORTER, spec.monitoring.nodeExporterVersion)], ['127.0.0.1']);
    });

    afterAll(async () => {
      await server?.close();
      await net?.destroy();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    test("with its port held for 20 s (past systemd's default start limit, 5 starts in 10 s) the exporter keeps restarting and answers once the port is free", async () => {
      const port = spec.monitoring.nodeExporterPort;
      const first = await configure(held);
      expect({ exit: first.result.exitCode, rows: first.result.rows.map((r) => [r.host, r.status, r.note]) }).toEqual({ exit: 0, rows: [[held.name, 'ok', '']] });
      expect(first.out).toMatch(/Check the exporter answers on the host/);
      // Another program takes the port while the exporter is down, and lets go after 20 s: the reference scenario's squatter.
      expect(net.exec(held, ['systemctl', 'stop', 'node_exporter']).status).toBe(0);
      expect(net.exec(held, ['systemd-run', '--unit=port-squatter', '--property=RuntimeMaxSec=20', 'python3', '-m', 'http.server', '--bind', '0.0.0.0', String(port)]).status).toBe(0);
      await new Promise((r) => setTimeout(r, 1000));
      expect(net.exec(held, ['systemctl', 'start', 'node_exporter']).status).toBe(0);
      let body = '';
      for (let i = 0; i < 60 && !body.includes('node_exporter_build_info'); i++) {
        await new Promise((r) => setTimeout(r, 1000));
        body = await metrics(held, port).catch(() => '');
      }
      // It answers itself (not the squatter), after systemd restarted it past the default start limit.
      expect(body).toContain('node_exporter_build_info');
      const state = show(held, 'ActiveState', 'NRestarts');
      expect(state.ActiveState).toBe('active');
      expect(Number(state.NRestarts)).toBeGreaterThan(5);
      // And the role, run again, finds it healthy and changes nothing.
      const again = await configure(held);
      expect(again.result.rows.map((r) => [r.status, r.changed])).toEqual([['ok', 0]]);
    });

    test('a missing TLS certificate fails the run naming the file, before the unit is touched', async () => {
      const { result } = await configure(other, {
        node_exporter_tls_server_config: { cert_file: '/etc/node_exporter/tls.crt', key_file: '/etc/node_exporter/tls.key' },
      });
      expect(result.exitCode).toBe(1);
      const row = result.rows.find((r) => r.host === other.name);
      expect(row?.status).toBe('failed');
      expect(row?.note).toContain('node_exporter_tls_server_config names /etc/node_exporter/tls.crt, /etc/node_exporter/tls.key, which the host does not have');
      expect(net.exec(other, ['systemctl', 'is-active', 'node_exporter']).stdout.trim()).not.toBe('active');
    });

    test('a textfile directory under /home yields its metrics (ProtectHome follows the configured paths)', async () => {
      const textfiles = '/home/metrics/textfile';
      // Written inside the running host: an overlay's upper layer must not change under its mount.
      const write = net.exec(other, ['sh', '-c', `mkdir -p ${textfiles} && printf '# TYPE slipway_scenario_value gauge\\nslipway_scenario_value 42\\n' > ${textfiles}/slipway.prom`]);
      expect(write).toMatchObject({ status: 0 });
      const { result } = await configure(other, { node_exporter_textfile_dir: textfiles });
      expect({ exit: result.exitCode, notes: result.rows.map((r) => r.note) }).toEqual({ exit: 0, notes: [''] });
      expect(show(other, 'ProtectHome').ProtectHome).toBe('read-only');
      const body = await metrics(other, spec.monitoring.nodeExporterPort);
      expect(body).toMatch(/^slipway_scenario_value 42$/m);
      expect(body).toMatch(/^node_textfile_scrape_error 0$/m);
    });

    test('several listen addresses, and the textfile directory turned off', async () => {
      const { result } = await configure(other, {
        node_exporter_port: 9110,
        node_exporter_web_listen_addresses: ['127.0.0.1:9100', '0.0.0.0:9110'],
        node_exporter_textfile_dir: '',
      });
      expect(result.exitCode).toBe(0);
      expect(await metrics(other, 9110)).toContain('node_exporter_build_info');
      const loopback = net.exec(other, ['python3', '-c', 'import urllib.request; print(urllib.request.urlopen("http://127.0.0.1:9100/metrics").status)']);
      expect(loopback.stdout.trim()).toBe('200');
      const unit = readFileSync(join(other.upper, 'etc/systemd/system/node_exporter.service'), 'utf8');
      expect(unit).not.toContain('--collector.textfile.directory');
      expect(show(other, 'ProtectHome').ProtectHome).toBe('yes');
    });
  },
);
