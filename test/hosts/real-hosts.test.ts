/**
 * The playbook, through the zx driver, against real hosts: debootstrapped
 * Debian root filesystems with their own sshd in network namespaces, a
 * release server on the controller's loopback that the hosts have no route
 * to (as on the default spec's `egress: 'none'` network), and Debian's
 * prometheus scraping the result.
 */
import { execFileSync, spawn, spawnSync } from 'child_process';
import { createHash } from 'crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { parse, stringify } from 'yaml';
import { configureHosts, type DriverResult } from '../../src/hosts/driver';
import { buildInventory, targetsFromInventoryList } from '../../src/hosts/inventory';
import { realIO } from '../../src/hosts/io';
import { NODE_EXPORTER_JOB, PROCESS_EXPORTER_JOB, SCRAPE_CONFIG_FILE } from '../../src/hosts/layout';
import { parseOptions } from '../../src/hosts/options';
import { scrapeJobName, type ScrapeJob } from '../../src/hosts/scrape-config';
import { EXPORTERS, endpointFor } from '../../src/hosts/verify';
import { exporterRelease, readSpecFile, selectStage, type EstateSpec, type ServiceSpec } from '../../src/spec';
import { describeWithTools, hasCommand } from '../support/real-tools';
import { startPrometheus, staticJob, type RunningPrometheus } from './support/prometheus';
import { NODE_EXPORTER, PROCESS_EXPORTER, buildRelease, releaseArch, serveReleases, type ReleaseServer } from './support/release-server';
import { TestNetwork, type TestHost } from './support/test-hosts';
import { parseUnitService } from './support/unit-file';

const REPO = resolve(__dirname, '../..');
const firstStage = (estate: EstateSpec): ServiceSpec => selectStage(estate, estate.stages[0].environment);
const TAMPERED_VERSION = '9.9.9';

const REQUIREMENTS = {
  commands: ['ansible-playbook', 'ansible-inventory', 'debootstrap', 'prometheus', 'promtool', 'prometheus-node-exporter', 'prometheus-process-exporter', 'nsenter', 'unshare', 'ip', 'ssh-keygen', 'flock'],
  root: true,
};

describeWithTools('configure-hosts on real hosts', REQUIREMENTS, () => {
  jest.setTimeout(10 * 60 * 1000);

  let spec: ServiceSpec;
  let net: TestNetwork;
  let server: ReleaseServer;
  let prometheus: RunningPrometheus | undefined;
  let hosts: TestHost[];
  let down: TestHost;
  let fresh: TestHost;
  let dir: string;
  const inventories: Record<'configured' | 'withDown' | 'all' | 'tampered', string> = { configured: '', withDown: '', all: '', tampered: '' };

  let releaseCache: string;
  const tarballPath = (v = spec.monitoring.nodeExporterVersion) => `/node_exporter/v${v}/node_exporter-${v}.linux-${releaseArch()}.tar.gz`;
  const BOTH = ['--tags', 'node_exporter,process_exporter'];

  async function drive(argv: string[]): Promise<{ result: DriverResult; out: string }> {
    let out = '';
    const sink = { write: (s: string) => (out += s) };
    const io = realIO({ repoRoot: REPO, out: sink, progressOut: sink, env: { ...process.env, CI: 'true' } });
    const result = await configureHosts(spec, REPO, parseOptions(argv), io);
    return { result, out };
  }

  beforeAll(async () => {
    // The first stage, where every build lands first; the exporters (versions, ports) are the same in every stage.
    spec = firstStage(readSpecFile(REPO));
    dir = mkdtempSync(join(tmpdir(), 'slipway-real-hosts-'));
    net = new TestNetwork('it');
    hosts = await net.addHosts(2);
    [down] = await net.addHosts(1, { sshd: false });
    [fresh] = await net.addHosts(1);
    const version = spec.monitoring.nodeExporterVersion;
    // Only the controller reaches the release server: its loopback is not the hosts'.
    server = await serveReleases(
      [
        buildRelease(dir, NODE_EXPORTER, version),
        buildRelease(dir, NODE_EXPORTER, TAMPERED_VERSION, { tampered: true }),
        buildRelease(dir, PROCESS_EXPORTER, spec.monitoring.processExporterVersion),
      ],
      ['127.0.0.1'],
    );
    releaseCache = join(dir, 'release-cache');
    const vars = (h: TestHost, v = version) => ({
      ...net.hostVars(h),
      exporter_common_cache_dir: releaseCache,
      node_exporter_version: v,
      node_exporter_release_url: exporterRelease(NODE_EXPORTER, v, server.mirror).url,
      process_exporter_release_url: exporterRelease(PROCESS_EXPORTER, spec.monitoring.processExporterVersion, server.mirror).url,
    });
    const write = (name: keyof typeof inventories, list: { host: TestHost; version?: string }[]) => {
      const path = join(dir, `${name}.yml`);
      writeFileSync(path, stringify(buildInventory(spec, list.map(({ host, version: v }) => ({ name: host.name, vars: vars(host, v) })))));
      inventories[name] = path;
    };
    write('configured', hosts.map((host) => ({ host })));
    write('withDown', [...hosts, down].map((host) => ({ host })));
    write('all', [...hosts, down, fresh].map((host) => ({ host })));
    write('tampered', [{ host: hosts[0] }, { host: hosts[1], version: TAMPERED_VERSION }]);
  });

  afterAll(async () => {
    await prometheus?.stop();
    await server?.close();
    await net?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('the first run configures every host and each exporter answers', async () => {
    const { result, out } = await drive(['--inventory', inventories.configured, ...BOTH, '--forks', '4']);
    expect(net.errors).toEqual([]);
    expect(result.failed).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(result.rows.map((r) => [r.host, r.status])).toEqual(hosts.map((h) => [h.name, 'ok']));
    for (const row of result.rows) {
      expect(row.changed).toBeGreaterThan(0);
      expect(row.exporters).toEqual([
        expect.objectContaining({ exporter: 'node_exporter', up: true }),
        expect.objectContaining({ exporter: 'process_exporter', up: true }),
      ]);
    }
    expect(out).toMatch(/PLAY RECAP/); // CI mode: Ansible's own log, no spinner
    for (const h of hosts) {
      const body = await (await fetch(`http://${h.address}:${spec.monitoring.nodeExporterPort}/metrics`)).text();
      expect(body).toContain('node_exporter_build_info');
      const processes = await (await fetch(`http://${h.address}:${spec.monitoring.processExporterPort}/metrics`)).text();
      expect(processes).toContain('namedprocess_scrape_errors');
    }
    // Fetched once on the controller for every host, then copied over the connection in use.
    expect(server.hits.get(tarballPath())).toBe(1);
  });

  test('a host that tries to reach the release server itself cannot', async () => {
    const url = `${exporterRelease(NODE_EXPORTER, spec.monitoring.nodeExporterVersion, server.mirror).url}/${NODE_EXPORTER.checksumsFile}`;
    const before = server.requests();
    const viaGateway = url.replace('127.0.0.1', hosts[0].gateway);
    for (const target of [url, viaGateway]) {
      const res = spawnSync('ansible', [hosts[0].name, '--inventory', inventories.configured, '--one-line', '-m', 'ansible.builtin.uri', '-a', JSON.stringify({ url: target, timeout: 3 })], {
        cwd: REPO,
        encoding: 'utf8',
        env: { ...process.env, ANSIBLE_CONFIG: join(REPO, 'ansible/ansible.cfg'), ANSIBLE_NOCOLOR: '1' },
      });
      expect({ target, status: res.status, out: res.stdout }).toEqual({ target, status: 2, out: expect.stringMatching(/FAILED!.*(Connection refused|No route to host|Network is unreachable|timed out)/) });
    }
    expect(server.requests()).toBe(before);
    // The controller reaches it.
    expect((await fetch(url)).status).toBe(200);
  });

  test('the on-host check used for SSM hosts finds the exporters from the hosts themselves', async () => {
    const io = realIO({ repoRoot: REPO, env: { ...process.env, CI: 'true' } });
    const targets = targetsFromInventoryList(await io.listInventory(inventories.configured));
    const endpoints = new Map(targets.map((t) => [t.name, EXPORTERS.map((e) => endpointFor(spec, t, e, '127.0.0.1'))]));
    const checks = await io.checkOnHosts(inventories.configured, endpoints);
    for (const h of hosts) {
      expect(checks.get(h.name)?.map((c) => [c.exporter, c.up, c.detail])).toEqual([
        ['node_exporter', true, 'answers'],
        ['process_exporter', true, 'answers'],
      ]);
    }
  });

  test('a second run changes nothing and makes no request to the release server', async () => {
    const before = server.requests();
    const mtime = statSync(join(hosts[0].upper, 'usr/local/bin/node_exporter')).mtimeMs;
    const { result } = await drive(['--inventory', inventories.configured, ...BOTH]);
    expect(result.exitCode).toBe(0);
    expect(result.rows.map((r) => [r.host, r.changed, r.status])).toEqual(hosts.map((h) => [h.name, 0, 'ok']));
    expect(server.requests()).toBe(before);
    expect(statSync(join(hosts[0].upper, 'usr/local/bin/node_exporter')).mtimeMs).toBe(mtime);
  });

  test('the host got nologin users, the binaries and units that its systemd runs hardened', () => {
    const h = hosts[0];
    const passwd = readFileSync(join(h.upper, 'etc/passwd'), 'utf8');
    expect(passwd).toMatch(/^node-exporter:x:\d+:\d+::\/nonexistent:\/usr\/sbin\/nologin$/m);
    const binary = join(h.upper, 'usr/local/bin/node_exporter');
    expect((statSync(binary).mode % 0o1000).toString(8)).toBe('755');
    expect(sha256(binary)).toBe(sha256('/usr/bin/prometheus-node-exporter'));
    expect(existsSync(join(h.upper, 'etc/node_exporter/web_config.yml'))).toBe(false);
    expect(statSync(join(h.upper, 'var/lib/node_exporter/textfile_collector')).isDirectory()).toBe(true);

    const unitText = readFileSync(join(h.upper, 'etc/systemd/system/node_exporter.service'), 'utf8');
    const unit = parseUnitService(unitText);
    expect(unit.user).toBe('node-exporter');
    expect(unit.argv).toContain(`--web.listen-address=0.0.0.0:${spec.monitoring.nodeExporterPort}`);
    expect(unitText).toMatch(/^NoNewPrivileges=yes$/m);
    expect(unitText).toMatch(/^ProtectSystem=strict$/m);
    // The host's own systemd runs the units, with the hardening applied and no capabilities.
    for (const unitName of ['node_exporter', 'process_exporter']) {
      const show = net.exec(h, ['systemctl', 'show', unitName, '-p', 'ActiveState', '-p', 'SubState', '-p', 'ProtectHome', '-p', 'CapabilityBoundingSet', '-p', 'StartLimitIntervalUSec', '-p', 'User']);
      expect({ unitName, show: show.stdout.trim().split('\n').sort() }).toEqual({
        unitName,
        show: ['ActiveState=active', 'CapabilityBoundingSet=', 'ProtectHome=yes', 'StartLimitIntervalUSec=0', 'SubState=running', `User=${unitName.replace('_', '-')}`],
      });
    }
    // process-exporter groups the processes the spec names.
    const groupsFile = join(h.upper, 'etc/process_exporter/config.yml');
    const groups = parse(readFileSync(groupsFile, 'utf8')) as { process_names: { name: string; comm: string[] }[] };
    expect(groups.process_names).toEqual(spec.monitoring.processNames.map((name) => ({ name, comm: [name] })));
    if (hasCommand('systemd-analyze')) {
      // Verified outside the host, so ExecStart points at the binary's real location; every other line is as rendered.
      for (const [unitName, program] of [['node_exporter', 'node_exporter'], ['process_exporter', 'process-exporter']]) {
        const rendered = readFileSync(join(h.upper, `etc/systemd/system/${unitName}.service`), 'utf8');
        const copy = join(dir, `${unitName}.service`);
        writeFileSync(copy, rendered.replace(`ExecStart=/usr/local/bin/${program}`, `ExecStart=${join(h.upper, 'usr/local/bin', program)}`));
        const verify = spawnSync('systemd-analyze', ['verify', '--man=no', copy], { encoding: 'utf8' });
        expect({ unitName, status: verify.status, output: `${verify.stdout}${verify.stderr}`.trim() }).toEqual({ unitName, status: 0, output: '' });
      }
    }
  });

  test("Debian's prometheus with the generated scrape config finds every host up", async () => {
    execFileSync('promtool', ['check', 'config', join(REPO, SCRAPE_CONFIG_FILE)], { stdio: 'pipe' });
    const generated = parse(readFileSync(join(REPO, SCRAPE_CONFIG_FILE), 'utf8')) as { scrape_configs: ScrapeJob[] };
    const jobs = [
      { name: NODE_EXPORTER_JOB, port: spec.monitoring.nodeExporterPort },
      { name: PROCESS_EXPORTER_JOB, port: spec.monitoring.processExporterPort },
    ].map(({ name, port }) => {
      const job = generated.scrape_configs.find((j) => j.job_name === scrapeJobName(name, spec.environment));
      if (!job) throw new Error(`the generated scrape config has no job '${name}'`);
      return { name, targets: hosts.map((h) => `${h.address}:${port}`), config: job };
    });
    prometheus = await startPrometheus(jobs.map((j) => staticJob(j.config, j.targets)));
    for (const job of jobs) {
      const deadline = Date.now() + 30000;
      let up = new Map<string, number>();
      while (Date.now() < deadline) {
        up = await prometheus.up(job.name);
        if (job.targets.every((t) => up.get(t) === 1)) break;
        await new Promise((r) => setTimeout(r, 500));
      }
      expect({ job: job.name, up: Object.fromEntries(up) }).toEqual({ job: job.name, up: Object.fromEntries(job.targets.map((t) => [t, 1])) });
    }
  });

  test('an unreachable host is named and fails the command while the others finish', async () => {
    // The real command line, asynchronously: the release server lives in this process and must keep answering.
    const cli = await run('npx', ['tsx', 'src/hosts/cli.ts', '--stage', spec.environment, '--inventory', inventories.withDown, '--tags', 'node_exporter']);
    expect(cli.status).toBe(1);
    const table = cli.stdout.split('\n');
    const row = (name: string) => table.find((l) => l.startsWith(`${name} `)) ?? '';
    expect(row(down.name)).toMatch(/\bNO\b.*unreachable/);
    for (const h of hosts) expect(row(h.name)).toMatch(/\byes\s+0\s+up\s+ok\b/);
    expect(cli.stdout).toContain(`1 of 3 host(s) not configured: ${down.name} (unreachable)`);
  });

  test('a tampered release fails on the controller, naming the file and both checksums, before its host is touched', async () => {
    const before = sha256(join(hosts[1].upper, 'usr/local/bin/node_exporter'));
    const { result } = await drive(['--inventory', inventories.tampered, '--tags', 'node_exporter']);
    expect(result.exitCode).toBe(1);
    expect(result.failed).toEqual([hosts[1].name]);
    const bad = result.rows.find((r) => r.host === hosts[1].name);
    expect(bad?.status).toBe('failed');
    const tarball = `node_exporter-${TAMPERED_VERSION}.linux-${releaseArch()}.tar.gz`;
    expect(bad?.note).toMatch(new RegExp(`checksum mismatch for ${tarball.replace(/\./g, '\\.')}: \\S+sha256sums\\.txt lists sha256 [0-9a-f]{64}, the download has [0-9a-f]{64}`));
    expect(bad?.changed).toBe(0);
    expect(result.rows.find((r) => r.host === hosts[0].name)?.status).toBe('ok');
    expect(sha256(join(hosts[1].upper, 'usr/local/bin/node_exporter'))).toBe(before);
    // Nothing of the tampered release was kept on the controller either.
    expect(existsSync(join(releaseCache, tarball.replace(/\.tar\.gz$/, ''), 'node_exporter'))).toBe(false);
  });

  test('--check with --limit dry-runs one fresh host and writes nothing', async () => {
    const { result } = await drive(['--inventory', inventories.all, '--limit', fresh.name, '--check', '--tags', 'node_exporter']);
    expect(result.exitCode).toBe(0);
    expect(result.rows.map((r) => [r.host, r.status])).toEqual([[fresh.name, 'ok']]);
    expect(result.rows[0].changed).toBeGreaterThan(0);
    for (const path of ['usr/local/bin/node_exporter', 'etc/systemd/system/node_exporter.service', 'etc/passwd']) {
      expect(existsSync(join(fresh.upper, path))).toBe(false);
    }
  });
});

function run(command: string, args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(command, args, { cwd: REPO, env: { ...process.env, CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}
