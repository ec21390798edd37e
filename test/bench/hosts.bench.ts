/**
 * Host configuration speed on real test hosts (see test/hosts/support):
 * four hosts against one (parallel forks and pipelining should make four
 * barely slower than one), and a second, idempotent run against the first.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { performance } from 'perf_hooks';
import { stringify } from 'yaml';
import type { BenchFigure, BenchSuite } from './harness';
import { configureHosts } from '../../src/hosts/driver';
import { buildInventory } from '../../src/hosts/inventory';
import { realIO } from '../../src/hosts/io';
import { parseOptions } from '../../src/hosts/options';
import { exporterRelease, readSpecFile } from '../../src/spec';
import { NODE_EXPORTER, buildRelease, serveReleases } from '../hosts/support/release-server';
import { TestNetwork, type TestHost } from '../hosts/support/test-hosts';
import { missingRequirements } from '../support/real-tools';

const REPO = resolve(__dirname, '../..');
const TRIALS = 3;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export const suite: BenchSuite = {
  name: 'hosts',
  async run(): Promise<BenchFigure[]> {
    const why = missingRequirements({ commands: ['ansible-playbook', 'debootstrap', 'prometheus-node-exporter', 'nsenter', 'unshare', 'ip'], root: true });
    if (why) throw new Error(`the hosts bench needs real hosts: ${why}`);
    const spec = readSpecFile(REPO);
    const dir = mkdtempSync(join(tmpdir(), 'slipway-hosts-bench-'));
    const net = new TestNetwork('bn');
    try {
      // Fresh hosts for each first run (a first run is only a first run once), three trials, medians reported.
      const trials: { one: TestHost[]; four: TestHost[] }[] = [];
      for (let i = 0; i < TRIALS; i++) trials.push({ one: await net.addHosts(1), four: await net.addHosts(4) });
      const release = buildRelease(dir, NODE_EXPORTER, spec.monitoring.nodeExporterVersion);
      const server = await serveReleases([release], ['127.0.0.1']);
      const inventory = (name: string, hosts: TestHost[]) => {
        const path = join(dir, `${name}.yml`);
        const entries = hosts.map((h) => ({
          name: h.name,
          vars: { ...net.hostVars(h), node_exporter_release_url: exporterRelease(NODE_EXPORTER, release.version, server.mirror).url },
        }));
        writeFileSync(path, stringify(buildInventory(spec, entries)));
        return path;
      };
      const sink = { write: () => undefined };
      const timed = async (path: string): Promise<number> => {
        const start = performance.now();
        const result = await configureHosts(spec, REPO, parseOptions(['--inventory', path, '--tags', 'node_exporter']), realIO({
          repoRoot: REPO, out: sink, progressOut: sink, env: { ...process.env, CI: 'true' },
        }));
        const ms = performance.now() - start;
        if (result.exitCode !== 0) throw new Error(`configure-hosts failed on ${result.failed.join(', ')} during the bench`);
        return ms;
      };
      const oneHost: number[] = [];
      const fourHosts: number[] = [];
      const again: number[] = [];
      for (const [i, trial] of trials.entries()) {
        oneHost.push(await timed(inventory(`one-${i}`, trial.one)));
        const four = inventory(`four-${i}`, trial.four);
        fourHosts.push(await timed(four));
        again.push(await timed(four));
      }
      process.stderr.write(`hosts bench trials (ms): one ${oneHost.map(Math.round).join(', ')}; four ${fourHosts.map(Math.round).join(', ')}; again ${again.map(Math.round).join(', ')}\n`);
      await server.close();
      return [
        { name: 'configure-hosts, 4 fresh hosts', baseline: '1 fresh host', baselineValue: median(oneHost), value: median(fourHosts), unit: 'ms', goal: 1.5 },
        {
          name: 'configure-hosts, second (idempotent) run on 4 hosts',
          baseline: 'the first run on them',
          baselineValue: median(fourHosts),
          value: median(again),
          unit: 'ms',
          goal: 0.6,
        },
      ];
    } finally {
      await net.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
