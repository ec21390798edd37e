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
import { readSpecFile } from '../../src/spec';
import { NODE_EXPORTER, buildRelease, serveReleases } from '../hosts/support/release-server';
import { TestNetwork } from '../hosts/support/test-hosts';
import { missingRequirements } from '../support/real-tools';

const REPO = resolve(__dirname, '../..');

export const suite: BenchSuite = {
  name: 'hosts',
  async run(): Promise<BenchFigure[]> {
    const why = missingRequirements({ commands: ['ansible-playbook', 'debootstrap', 'prometheus-node-exporter', 'nsenter', 'unshare', 'ip'], root: true });
    if (why) throw new Error(`the hosts bench needs real hosts: ${why}`);
    const spec = readSpecFile(REPO);
    const dir = mkdtempSync(join(tmpdir(), 'slipway-hosts-bench-'));
    const net = new TestNetwork('bn');
    try {
      const one = await net.addHosts(1);
      const four = await net.addHosts(4);
      const release = buildRelease(dir, NODE_EXPORTER, spec.monitoring.nodeExporterVersion);
      const server = await serveReleases([release], net.hosts.map((h) => h.gateway));
      const inventory = (name: string, hosts: typeof one) => {
        const path = join(dir, `${name}.yml`);
        const entries = hosts.map((h) => ({
          name: h.name,
          vars: { ...net.hostVars(h), node_exporter_release_url: server.releaseUrl(h.gateway, NODE_EXPORTER, release.version) },
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
      // Fresh hosts for each first run: a first run is only a first run once.
      const oneHost = await timed(inventory('one', one));
      const fourHosts = await timed(inventory('four', four));
      const again = await timed(inventory('four', four));
      await server.close();
      return [
        { name: 'configure-hosts, 4 fresh hosts', baseline: '1 fresh host', baselineValue: oneHost, value: fourHosts, unit: 'ms', goal: 1.5 },
        { name: 'configure-hosts, second (idempotent) run on 4 hosts', baseline: 'the first run on them', baselineValue: fourHosts, value: again, unit: 'ms', goal: 0.6 },
      ];
    } finally {
      await net.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
