/**
 * A real image registry for tests: Debian's docker-registry (distribution v2)
 * on 127.0.0.1 with htpasswd basic auth, and buildah storage kept in a temp
 * dir (vfs driver, chroot isolation) so nothing touches the machine's own.
 */
import { ChildProcess, execFileSync, spawn } from 'child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { AddressInfo, createServer } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';

export const REGISTRY_TOOLS = ['docker-registry', 'buildah', 'skopeo', 'htpasswd'] as const;

export interface TestRegistry {
  /** 127.0.0.1:<port> */
  readonly host: string;
  readonly username: string;
  readonly password: string;
  /** Environment for buildah/skopeo: isolated storage and auth file. */
  readonly builderEnv: NodeJS.ProcessEnv;
  readonly dir: string;
  /** The manifest and its digest as the registry serves it (authenticated, like ECR would). */
  manifest(repository: string, reference: string): Promise<{ digest: string; mediaType: string; body: string }>;
  stop(): Promise<void>;
}

/** A loopback port nothing listens on now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** How long docker-registry may take to answer (seconds on a 2-core machine running other suites beside it); inside the 30 s hooks that start it. */
export const REGISTRY_START_MS = 25_000;

async function waitForRegistry(url: string, child: ChildProcess, log: () => string): Promise<void> {
  for (const deadline = Date.now() + REGISTRY_START_MS; Date.now() < deadline;) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited with ${child.exitCode}: ${log()}`);
    try {
      const res = await fetch(url);
      if (res.status === 401) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`docker-registry did not answer on ${url}: ${log()}`);
}

export async function startRegistry(password: string, username = 'AWS'): Promise<TestRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-registry-'));
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  writeFileSync(join(dir, 'htpasswd'), execFileSync('htpasswd', ['-Bbn', username, password]));
  mkdirSync(join(dir, 'data'));
  writeFileSync(join(dir, 'config.yml'), [
    'version: 0.1',
    'log:',
    '  level: warn',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${join(dir, 'data')}`,
    'http:',
    `  addr: ${host}`,
    '  secret: slipway-test-only',
    'auth:',
    '  htpasswd:',
    '    realm: slipway-test',
    `    path: ${join(dir, 'htpasswd')}`,
    '',
  ].join('\n'));
  writeFileSync(join(dir, 'storage.conf'), `[storage]\ndriver = "vfs"\nrunroot = "${join(dir, 'run')}"\ngraphroot = "${join(dir, 'graph')}"\n`);
  let log = '';
  const child = spawn('docker-registry', ['serve', join(dir, 'config.yml')], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d: Buffer) => { log += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { log += d.toString(); });
  await waitForRegistry(`http://${host}/v2/`, child, () => log);
  const auth = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  return {
    host,
    username,
    password,
    dir,
    builderEnv: {
      STORAGE_DRIVER: 'vfs',
      BUILDAH_ISOLATION: 'chroot',
      CONTAINERS_STORAGE_CONF: join(dir, 'storage.conf'),
      REGISTRY_AUTH_FILE: join(dir, 'auth.json'),
    },
    manifest: async (repository, reference) => {
      const res = await fetch(`http://${host}/v2/${repository}/manifests/${reference}`, {
        headers: {
          authorization: auth,
          accept: 'application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json',
        },
      });
      if (!res.ok) throw new Error(`registry has no ${repository}:${reference} (HTTP ${res.status})`);
      return { digest: res.headers.get('docker-content-digest') ?? '', mediaType: res.headers.get('content-type') ?? '', body: await res.text() };
    },
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode !== null ? resolve(undefined) : child.once('close', resolve)));
      // vfs layers are written by root with restrictive modes; rm -rf as root is fine.
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
