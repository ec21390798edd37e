/**
 * A node_exporter "release" built from Debian's prometheus-node-exporter
 * binary, laid out like the upstream one (node_exporter-<v>.linux-<arch>.tar.gz
 * holding node_exporter-<v>.linux-<arch>/node_exporter, plus sha256sums.txt),
 * served over HTTP on the test network's addresses only.
 */
import { execFileSync } from 'child_process';
import { createHash } from 'crypto';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'fs';
import { createServer, type Server } from 'http';
import type { AddressInfo } from 'net';
import { arch } from 'os';
import { join } from 'path';

export const DEBIAN_NODE_EXPORTER = '/usr/bin/prometheus-node-exporter';

/** Node's arch to the release's name for it (the same mapping the role makes from ansible_architecture). */
export function releaseArch(nodeArch: string = arch()): string {
  const map: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'armv7', ia32: '386' };
  const name = map[nodeArch];
  if (!name) throw new Error(`no node_exporter release name for architecture ${nodeArch}`);
  return name;
}

export interface ReleaseFiles {
  readonly version: string;
  readonly tarballName: string;
  readonly tarball: Buffer;
  readonly sha256sums: string;
}

/** Builds the release for `version`; `tampered` flips bytes after the checksums are computed. */
export function buildRelease(workDir: string, version: string, options: { tampered?: boolean } = {}): ReleaseFiles {
  const base = `node_exporter-${version}.linux-${releaseArch()}`;
  const dir = join(workDir, `build-${version}`, base);
  mkdirSync(dir, { recursive: true });
  copyFileSync(DEBIAN_NODE_EXPORTER, join(dir, 'node_exporter'));
  writeFileSync(join(dir, 'LICENSE'), 'Apache License 2.0 (test fixture built from Debian prometheus-node-exporter)\n');
  const tarballName = `${base}.tar.gz`;
  const tarPath = join(workDir, `build-${version}`, tarballName);
  execFileSync('tar', ['-C', join(workDir, `build-${version}`), '--owner=0', '--group=0', '-czf', tarPath, base]);
  const genuine = readFileSync(tarPath);
  const sum = createHash('sha256').update(genuine).digest('hex');
  // Upstream sums list every artifact; a decoy line checks the role picks the right one.
  const sha256sums = `${'0'.repeat(64)}  node_exporter-${version}.darwin-amd64.tar.gz\n${sum}  ${tarballName}\n`;
  const tarball = options.tampered ? Buffer.concat([genuine.subarray(0, genuine.length - 16), Buffer.alloc(16, 0x41)]) : genuine;
  return { version, tarballName, tarball, sha256sums };
}

export interface ReleaseServer {
  readonly port: number;
  /** How many times each path was requested. */
  readonly hits: Map<string, number>;
  /** Base URL on one test-network address, laid out like the GitHub release: <url>/<file>. */
  releaseUrl(address: string, version: string): string;
  close(): Promise<void>;
}

/** Serves every release under /v<version>/ on each given address (never a wildcard address). */
export async function serveReleases(releases: readonly ReleaseFiles[], addresses: readonly string[]): Promise<ReleaseServer> {
  const files = new Map<string, Buffer>();
  for (const r of releases) {
    files.set(`/v${r.version}/${r.tarballName}`, r.tarball);
    files.set(`/v${r.version}/sha256sums.txt`, Buffer.from(r.sha256sums));
  }
  const hits = new Map<string, number>();
  const servers: Server[] = [];
  let port = 0;
  for (const address of addresses) {
    const server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      hits.set(path, (hits.get(path) ?? 0) + 1);
      const body = files.get(path);
      if (!body) {
        res.writeHead(404).end('not found\n');
        return;
      }
      res.writeHead(200, { 'content-length': body.length, 'content-type': 'application/octet-stream' }).end(body);
    });
    // All addresses share one port so every host's URL differs only by its gateway address.
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, address, () => resolve());
    });
    port = (server.address() as AddressInfo).port;
    servers.push(server);
  }
  return {
    port,
    releaseUrl: (address, version) => `http://${address}:${port}/v${version}`,
    hits,
    close: async () => {
      await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    },
  };
}
