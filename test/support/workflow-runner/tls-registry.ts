/**
 * A real registry (Debian's docker-registry) reachable under a real ECR registry host name,
 * `<account>.dkr.ecr.<region>.amazonaws.com:<port>`, as the image job meets it: TLS with a certificate
 * for that name (trusted through SSL_CERT_FILE), basic auth as GetAuthorizationToken's AWS user, and the
 * name resolved to 127.0.0.1 by a private /etc/hosts bind-mounted in a mount namespace that only the
 * bundle's process tree sees (unshare), so the machine's own /etc/hosts is never touched.
 */
import { ChildProcess, execFileSync, spawn } from 'child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { request } from 'https';
import { tmpdir } from 'os';
import { join } from 'path';
import { REGISTRY_START_MS, freePort } from '../../actions/ecr-image/registry-harness';

export const TLS_REGISTRY_TOOLS = ['docker-registry', 'buildah', 'htpasswd', 'openssl', 'unshare', 'mount'] as const;

export interface TlsRegistry {
  /** host:port under the ECR name. */
  readonly host: string;
  readonly password: string;
  /** For buildah: isolated storage, auth file, the CA. */
  readonly builderEnv: NodeJS.ProcessEnv;
  /** Runs a command where `hostname` resolves to 127.0.0.1. */
  readonly wrapper: readonly string[];
  manifest(repository: string, reference: string): Promise<{ digest: string; mediaType: string; body: string }>;
  stop(): Promise<void>;
}

interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

function get(url: { port: number; path: string; hostname: string }, headers: Record<string, string>, ca: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', servername: url.hostname, port: url.port, path: url.path, headers: { ...headers, host: `${url.hostname}:${url.port}` }, ca }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => { body += d.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

export async function startTlsRegistry(hostname: string, password: string): Promise<TlsRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-tls-registry-'));
  const port = await freePort();
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', `/CN=${hostname}`, '-addext', `subjectAltName=DNS:${hostname}`], { stdio: 'ignore' });
  writeFileSync(join(dir, 'htpasswd'), execFileSync('htpasswd', ['-Bbn', 'AWS', password]));
  mkdirSync(join(dir, 'data'));
  writeFileSync(join(dir, 'config.yml'), [
    'version: 0.1',
    'log:',
    '  level: warn',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${join(dir, 'data')}`,
    'http:',
    `  addr: 127.0.0.1:${port}`,
    '  secret: slipway-test-only',
    '  tls:',
    `    certificate: ${cert}`,
    `    key: ${key}`,
    'auth:',
    '  htpasswd:',
    '    realm: slipway-test',
    `    path: ${join(dir, 'htpasswd')}`,
    '',
  ].join('\n'));
  writeFileSync(join(dir, 'storage.conf'), `[storage]\ndriver = "vfs"\nrunroot = "${join(dir, 'run')}"\ngraphroot = "${join(dir, 'graph')}"\n`);
  writeFileSync(join(dir, 'hosts'), `${readFileSync('/etc/hosts', 'utf8').trimEnd()}\n127.0.0.1 ${hostname}\n`);
  const ca = readFileSync(cert, 'utf8');
  let log = '';
  const child: ChildProcess = spawn('docker-registry', ['serve', join(dir, 'config.yml')], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d: Buffer) => { log += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { log += d.toString(); });
  for (const deadline = Date.now() + REGISTRY_START_MS; ;) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited with ${child.exitCode}: ${log}`);
    try {
      if ((await get({ hostname, port, path: '/v2/' }, {}, ca)).status === 401) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`docker-registry did not answer on ${hostname}:${port} within ${REGISTRY_START_MS} ms: ${log}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const auth = `Basic ${Buffer.from(`AWS:${password}`).toString('base64')}`;
  return {
    host: `${hostname}:${port}`,
    password,
    builderEnv: {
      STORAGE_DRIVER: 'vfs',
      BUILDAH_ISOLATION: 'chroot',
      CONTAINERS_STORAGE_CONF: join(dir, 'storage.conf'),
      REGISTRY_AUTH_FILE: join(dir, 'auth.json'),
      // Go (buildah) reads its root CAs from SSL_CERT_FILE when set.
      SSL_CERT_FILE: cert,
    },
    wrapper: ['unshare', '--mount', '--propagation', 'private', 'sh', '-c', 'mount --bind "$0" /etc/hosts && exec "$@"', join(dir, 'hosts')],
    manifest: async (repository, reference) => {
      const res = await get({ hostname, port, path: `/v2/${repository}/manifests/${reference}` }, {
        authorization: auth,
        accept: 'application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json',
      }, ca);
      if (res.status !== 200) throw new Error(`registry has no ${repository}:${reference} (HTTP ${res.status})`);
      return { digest: String(res.headers['docker-content-digest'] ?? ''), mediaType: String(res.headers['content-type'] ?? ''), body: res.body };
    },
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode !== null ? resolve(undefined) : child.once('close', resolve)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
