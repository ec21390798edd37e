/**
 * Exporter "releases" built from Debian's binaries, laid out like the
 * upstream ones (node_exporter-<v>.linux-<arch>.tar.gz holding
 * node_exporter-<v>.linux-<arch>/node_exporter, plus sha256sums.txt; the same
 * for process-exporter with checksums.txt), served over HTTP on the
 * controller's loopback only: like the real release server, the test hosts
 * have no route to it.
 */
import { execFileSync } from 'child_process';
import { createHash } from 'crypto';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'fs';
import { createServer, type Server } from 'http';
import type { AddressInfo } from 'net';
import { arch } from 'os';
import { join } from 'path';
import { NODE_EXPORTER_PRODUCT, PROCESS_EXPORTER_PRODUCT, type ExporterProduct } from '../../../src/spec';

/** A release as the spec describes it (src/spec/exporter-releases.ts), with the Debian binary repackaged as it. */
export interface Product extends ExporterProduct {
  /** Debian's build of it, repackaged. */
  readonly debianBinary: string;
}

export const NODE_EXPORTER: Product = { ...NODE_EXPORTER_PRODUCT, debianBinary: '/usr/bin/prometheus-node-exporter' };
export const PROCESS_EXPORTER: Product = { ...PROCESS_EXPORTER_PRODUCT, debianBinary: '/usr/bin/prometheus-process-exporter' };

/** Node's arch to the release's name for it (the same mapping the role makes from ansible_architecture). */
export function releaseArch(nodeArch: string = arch()): string {
  const map: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'armv7', ia32: '386' };
  const name = map[nodeArch];
  if (!name) throw new Error(`no node_exporter release name for architecture ${nodeArch}`);
  return name;
}

export interface ReleaseFiles {
  readonly product: Product;
  readonly version: string;
  readonly tarballName: string;
  readonly tarball: Buffer;
  readonly sha256sums: string;
}

/** Builds the release for `version`; `tampered` flips bytes after the checksums are computed. */
export function buildRelease(workDir: string, product: Product, version: string, options: { tampered?: boolean } = {}): ReleaseFiles {
  const base = `${product.name}-${version}.linux-${releaseArch()}`;
  const buildDir = join(workDir, `build-${product.name}-${version}`);
  const dir = join(buildDir, base);
  mkdirSync(dir, { recursive: true });
  copyFileSync(product.debianBinary, join(dir, product.binary));
  writeFileSync(join(dir, 'LICENSE'), `test fixture built from Debian's ${product.debianBinary}\n`);
  const tarballName = `${base}.tar.gz`;
  const tarPath = join(buildDir, tarballName);
  execFileSync('tar', ['-C', buildDir, '--owner=0', '--group=0', '-czf', tarPath, base]);
  const genuine = readFileSync(tarPath);
  const sum = createHash('sha256').update(genuine).digest('hex');
  // Upstream sums list every artifact; a decoy line checks the role picks the right one.
  const sha256sums = `${'0'.repeat(64)}  ${product.name}-${version}.darwin-amd64.tar.gz\n${sum}  ${tarballName}\n`;
  const tarball = options.tampered ? Buffer.concat([genuine.subarray(0, genuine.length - 16), Buffer.alloc(16, 0x41)]) : genuine;
  return { product, version, tarballName, tarball, sha256sums };
}

export interface ReleaseServer {
  readonly port: number;
  /** How many times each path was requested. */
  readonly hits: Map<string, number>;
  /** Response bytes sent, in all. */
  readonly bytesSent: () => number;
  /** Requests answered, in all. */
  readonly requests: () => number;
  /** The server as a releases mirror (monitoring.releasesMirror): <mirror>/<name>/v<version>/<file>. */
  readonly mirror: string;
  close(): Promise<void>;
}

/** Serves every release under /<product>/v<version>/ on each given address (never a wildcard address; the tests give loopback). */
export async function serveReleases(releases: readonly ReleaseFiles[], addresses: readonly string[]): Promise<ReleaseServer> {
  const files = new Map<string, Buffer>();
  for (const r of releases) {
    files.set(`/${r.product.name}/v${r.version}/${r.tarballName}`, r.tarball);
    files.set(`/${r.product.name}/v${r.version}/${r.product.checksumsFile}`, Buffer.from(r.sha256sums));
  }
  const hits = new Map<string, number>();
  let bytes = 0;
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
      bytes += body.length;
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
    mirror: `http://${addresses[0].includes(':') ? `[${addresses[0]}]` : addresses[0]}:${port}`,
    hits,
    bytesSent: () => bytes,
    requests: () => [...hits.values()].reduce((a, b) => a + b, 0),
    close: async () => {
      await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    },
  };
}
