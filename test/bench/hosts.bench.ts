/**
 * Host configuration on real, systemd-booted test hosts (see test/hosts/support),
 * each trial on fresh hosts and a fresh controller release cache, medians of 3:
 * four hosts against one (wall time, and the controller's CPU-seconds per
 * host), a second idempotent run against the first, and the bytes fetched
 * from the release server for four hosts against one (fetched once).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { performance } from 'perf_hooks';
import { stringify } from 'yaml';
import { childCpuSeconds } from './controller-cpu';
import { median, type BenchFigure, type BenchSuite } from './harness';
import { configureHosts } from '../../src/hosts/driver';
import { buildInventory } from '../../src/hosts/inventory';
import { realIO } from '../../src/hosts/io';
import { parseOptions } from '../../src/hosts/options';
import { exporterRelease, readSpecFile } from '../../src/spec';
import { NODE_EXPORTER, PROCESS_EXPORTER, buildRelease, serveReleases } from '../hosts/support/release-server';
import { TestNetwork, type TestHost } from '../hosts/support/test-hosts';
import { missingRequirements } from '../support/real-tools';

const REPO = resolve(__dirname, '../..');
const TRIALS = 3;
const TAGS = ['--tags', 'node_exporter,process_exporter'];

interface Measured {
  readonly wallMs: number;
  readonly cpuSeconds: number;
  readonly bytes: number;
}

export const suite: BenchSuite = {
  name: 'hosts',
  async run(): Promise<BenchFigure[]> {
    const missing = missingRequirements({
      commands: ['ansible-playbook', 'debootstrap', 'systemd-nspawn', 'prometheus-node-exporter', 'nsenter', 'unshare', 'ip'],
      root: true,
    });
    if (missing) throw new Error(`the hosts bench needs real hosts: ${missing}`);
    const spec = readSpecFile(REPO).stages[0];
    const dir = mkdtempSync(join(tmpdir(), 'slipway-hosts-bench-'));
    const server = await serveReleases(
      [
        buildRelease(dir, NODE_EXPORTER, spec.monitoring.nodeExporterVersion),
        buildRelease(dir, PROCESS_EXPORTER, spec.monitoring.processExporterVersion),
      ],
      ['127.0.0.1'],
    );
    const sink = { write: () => undefined };
    const run = async (net: TestNetwork, name: string, hosts: TestHost[], cache: string): Promise<Measured> => {
      const path = join(dir, `${name}.yml`);
      const entries = hosts.map((h) => ({
        name: h.name,
        vars: {
          ...net.hostVars(h),
          exporter_common_cache_dir: cache,
          node_exporter_release_url: exporterRelease(NODE_EXPORTER, spec.monitoring.nodeExporterVersion, server.mirror).url,
          process_exporter_release_url: exporterRelease(PROCESS_EXPORTER, spec.monitoring.processExporterVersion, server.mirror).url,
        },
      }));
      writeFileSync(path, stringify(buildInventory(spec, entries)));
      const bytesBefore = server.bytesSent();
      const cpuBefore = childCpuSeconds();
      const start = performance.now();
      const result = await configureHosts(spec, REPO, parseOptions(['--inventory', path, ...TAGS]), realIO({
        repoRoot: REPO, out: sink, progressOut: sink, env: { ...process.env, CI: 'true' },
      }));
      const wallMs = performance.now() - start;
      if (result.exitCode !== 0) {
        const why = result.rows.filter((r) => r.status !== 'ok').map((r) => `${r.host} (${r.status}: ${r.note})`);
        throw new Error(`configure-hosts failed during the bench on ${why.join('; ')}`);
      }
      return { wallMs, cpuSeconds: childCpuSeconds() - cpuBefore, bytes: server.bytesSent() - bytesBefore };
    };
    const one: Measured[] = [];
    const four: Measured[] = [];
    const again: Measured[] = [];
    try {
      for (let i = 0; i < TRIALS; i++) {
        // Fresh hosts and a fresh controller cache for each trial: a first run is only a first run once.
        const net = new TestNetwork(`b${i}`);
        try {
          const [single] = await net.addHosts(1);
          const fleet = await net.addHosts(4);
          one.push(await run(net, `one-${i}`, [single], join(dir, `cache-one-${i}`)));
          four.push(await run(net, `four-${i}`, fleet, join(dir, `cache-four-${i}`)));
          again.push(await run(net, `again-${i}`, fleet, join(dir, `cache-four-${i}`)));
        } finally {
          await net.destroy();
        }
      }
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
    const show = (label: string, m: Measured[]) =>
      `${label}: wall ${m.map((x) => Math.round(x.wallMs)).join('/')} ms, controller CPU ${m.map((x) => x.cpuSeconds.toFixed(1)).join('/')} s, fetched ${m.map((x) => x.bytes).join('/')} B`;
    process.stderr.write(`hosts bench trials — ${show('1 host', one)}; ${show('4 hosts', four)}; ${show('4 hosts again', again)}\n`);
    const wall = (m: Measured[]) => median(m.map((x) => x.wallMs));
    const cpu = (m: Measured[]) => median(m.map((x) => x.cpuSeconds));
    // How much of the 4-vs-1 wall gap the controller's own CPU explains on these shared cores.
    process.stderr.write(
      `controller CPU share of wall: 1 host ${((cpu(one) * 1000) / wall(one)).toFixed(2)} core, 4 hosts ${((cpu(four) * 1000) / wall(four)).toFixed(2)} core; ` +
        `extra controller CPU at 4 hosts ${(cpu(four) - cpu(one)).toFixed(1)} s of the extra wall ${((wall(four) - wall(one)) / 1000).toFixed(1)} s\n`,
    );
    return [
      { name: 'configure-hosts, 4 fresh hosts (wall)', baseline: '1 fresh host', baselineValue: wall(one), value: wall(four), unit: 'ms', goal: 1.5 },
      { name: 'controller CPU-seconds per host, 4 fresh hosts', baseline: '1 fresh host', baselineValue: cpu(one), value: cpu(four) / 4, unit: 's', goal: 1.1 },
      { name: 'bytes fetched from the release server, 4 fresh hosts', baseline: '1 fresh host', baselineValue: median(one.map((x) => x.bytes)), value: median(four.map((x) => x.bytes)), unit: 'bytes', goal: 1 },
      { name: 'configure-hosts, second (idempotent) run on 4 hosts (wall)', baseline: 'the first run on them', baselineValue: wall(four), value: wall(again), unit: 'ms', goal: 0.5 },
      { name: 'controller CPU-seconds, second run on 4 hosts', baseline: 'the first run on them', baselineValue: cpu(four), value: cpu(again), unit: 's' },
    ];
  },
};
