import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { BuildPlan, buildAndPush, buildahBuildArgv, buildahPushArgv, dockerBuildArgv, loginArgv, logoutArgv } from '../../../actions/ecr-image/src/builders';
import { CommandOptions, spawnCommands } from '../../../actions/ecr-image/src/command';
import { registryFromEndpoint } from '../../../actions/ecr-image/src/registry';
import { CancelledError } from '../../../actions/shared/errors';

const HOST = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
const DIGEST = `sha256:${'a'.repeat(64)}`;

function plan(overrides: Partial<BuildPlan> = {}): BuildPlan {
  return {
    refs: [`${HOST}/flask-app:abc`, `${HOST}/flask-app:latest`],
    dockerfile: 'app/Dockerfile',
    context: 'app',
    buildArgs: [{ name: 'PYTHON', value: '3.12' }],
    platforms: [],
    push: true,
    ghaCacheScope: 'flask-app',
    insecure: false,
    workDir: '/tmp/w',
    ...overrides,
  };
}

describe('builder argv', () => {
  test('login takes the password on stdin only; buildah skips TLS only for an insecure (loopback) registry', () => {
    const login = { host: HOST, username: 'AWS', password: 'pw', insecure: false };
    expect(loginArgv('docker', login)).toEqual(['docker', 'login', '--username', 'AWS', '--password-stdin', HOST]);
    expect(loginArgv('buildah', { ...login, host: '127.0.0.1:5000', insecure: true })).toEqual(['buildah', 'login', '--username', 'AWS', '--password-stdin', '--tls-verify=false', '127.0.0.1:5000']);
    expect(logoutArgv('buildah', HOST)).toEqual(['buildah', 'logout', HOST]);
  });

  test('docker buildx builds, caches to the GitHub Actions cache (never a registry tag) and pushes in one command', () => {
    expect(dockerBuildArgv(plan({ platforms: ['linux/amd64', 'linux/arm64'] }))).toEqual([
      'docker', 'buildx', 'build',
      '--file', 'app/Dockerfile',
      '--tag', `${HOST}/flask-app:abc`, '--tag', `${HOST}/flask-app:latest`,
      '--build-arg', 'PYTHON=3.12',
      '--platform', 'linux/amd64,linux/arm64',
      '--cache-from', 'type=gha,scope=flask-app',
      '--cache-to', 'type=gha,mode=max,scope=flask-app',
      '--provenance=false', '--sbom=false',
      '--metadata-file', '/tmp/w/metadata.json',
      '--push',
      'app',
    ]);
    const local = dockerBuildArgv(plan({ push: false, ghaCacheScope: undefined }));
    expect(local).toContain('--load');
    expect(local).not.toContain('--cache-to');
    expect(local).not.toContain('--cache-from');
  });

  test('buildah: plain image for one platform, manifest list for several', () => {
    expect(buildahBuildArgv(plan())).toEqual(['buildah', 'build', '--file', 'app/Dockerfile', '--tag', `${HOST}/flask-app:abc`, '--tag', `${HOST}/flask-app:latest`, '--build-arg', 'PYTHON=3.12', 'app']);
    const multi = plan({ platforms: ['linux/amd64', 'linux/arm64'] });
    expect(buildahBuildArgv(multi)).toEqual(['buildah', 'build', '--file', 'app/Dockerfile', '--manifest', `${HOST}/flask-app:abc`, '--platform', 'linux/amd64,linux/arm64', '--build-arg', 'PYTHON=3.12', 'app']);
    expect(buildahPushArgv(multi, `${HOST}/flask-app:latest`, '/tmp/w/d')).toEqual(['buildah', 'manifest', 'push', '--all', '--digestfile', '/tmp/w/d', `${HOST}/flask-app:abc`, `docker://${HOST}/flask-app:latest`]);
  });
});

describe('buildAndPush', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'slipway-build-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('docker: the digest comes from the buildx metadata file', async () => {
    const calls: string[][] = [];
    const digest = await buildAndPush('docker', plan({ workDir: dir }), async (argv) => {
      calls.push([...argv]);
      writeFileSync(join(dir, 'metadata.json'), JSON.stringify({ 'containerimage.digest': DIGEST }));
      return { stdout: '' };
    });
    expect(digest).toBe(DIGEST);
    expect(calls).toHaveLength(1);
  });

  test('buildah: one push per tag, each must report the same digest', async () => {
    const calls: string[][] = [];
    const run = async (argv: readonly string[]): Promise<{ stdout: string }> => {
      calls.push([...argv]);
      const file = argv[argv.indexOf('--digestfile') + 1];
      if (argv[1] === 'push') writeFileSync(file, `${DIGEST}\n`);
      return { stdout: '' };
    };
    await expect(buildAndPush('buildah', plan({ workDir: dir }), run)).resolves.toBe(DIGEST);
    expect(calls.map((c) => c.slice(0, 2).join(' '))).toEqual(['buildah build', 'buildah push', 'buildah push']);
  });

  test('a missing or malformed digest fails closed', async () => {
    await expect(buildAndPush('docker', plan({ workDir: dir }), async () => ({ stdout: '' }))).rejects.toThrow(/could not read the pushed digest from docker buildx metadata/);
    await expect(buildAndPush('docker', plan({ workDir: dir }), async () => {
      writeFileSync(join(dir, 'metadata.json'), '{"containerimage.digest": "latest"}');
      return { stdout: '' };
    })).rejects.toThrow('docker buildx metadata did not contain a sha256 digest; found "latest"');
  });

  test('push: false builds only and reports no digest', async () => {
    await expect(buildAndPush('buildah', plan({ workDir: dir, push: false }), async () => ({ stdout: '' }))).resolves.toBeUndefined();
  });
});

describe('spawnCommands', () => {
  test('passes stdin, streams lines, and reports a failing command with its output', async () => {
    const lines: string[] = [];
    const run = spawnCommands((l) => lines.push(l));
    const options: CommandOptions = { stdin: 'from-stdin' };
    await expect(run(['sh', '-c', 'cat; echo; echo done'], options)).resolves.toEqual({ stdout: 'from-stdin\ndone\n' });
    expect(lines).toEqual(['[command] sh -c cat; echo; echo done', 'from-stdin', 'done']);
    await expect(run(['sh', '-c', 'echo nope >&2; exit 3'])).rejects.toThrow("'sh -c' exited with code 3:\nnope");
    await expect(run(['slipway-no-such-builder'])).rejects.toThrow("'slipway-no-such-builder' is not installed on this runner");
  });

  test('a command that exits without reading its stdin fails on its exit code, not on a broken pipe', async () => {
    const run = spawnCommands(() => undefined);
    await expect(run(['sh', '-c', 'exit 4'], { stdin: 'x'.repeat(4 * 1024 * 1024) })).rejects.toThrow("'sh -c' exited with code 4");
    await expect(run(['slipway-no-such-builder'], { stdin: 'secret' })).rejects.toThrow('is not installed on this runner');
  });

  test('cancelling the run sends the running builder SIGTERM and rejects as cancelled', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'slipway-cancel-'));
    try {
      const marker = join(dir, 'terminated');
      const controller = new AbortController();
      const lines: string[] = [];
      const run = spawnCommands((l) => {
        lines.push(l);
        if (l === 'building') controller.abort(new Error('received SIGINT'));
      }, process.env, controller.signal);
      // A builder that records the SIGTERM it gets; without it, it would build for a minute.
      const script = `trap 'echo term > "${marker}"; exit 143' TERM; echo building; sleep 60 & wait`;
      await expect(run(['sh', '-c', script])).rejects.toThrow(new CancelledError("the workflow run was cancelled: stopped 'sh -c' (SIGTERM)"));
      const deadline = Date.now() + 5_000;
      while (!existsSync(marker) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(readFileSync(marker, 'utf8')).toBe('term\n');
      await expect(run(['sh', '-c', 'echo never'])).rejects.toThrow(/cancelled before 'sh -c' started/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 15_000);

  test('lines split across output chunks are logged whole', async () => {
    const lines: string[] = [];
    await spawnCommands((l) => lines.push(l))(['sh', '-c', 'printf "par"; sleep 0.05; printf "tial\\nend"']);
    expect(lines.slice(1)).toEqual(['partial', 'end']);
  });
});

describe('registryFromEndpoint', () => {
  test('https anywhere, plain http only on loopback', () => {
    expect(registryFromEndpoint(`https://${HOST}`)).toEqual({ host: HOST, insecure: false });
    expect(registryFromEndpoint('http://127.0.0.1:5000')).toEqual({ host: '127.0.0.1:5000', insecure: true });
    expect(() => registryFromEndpoint('http://registry.example.com')).toThrow('refusing to send registry credentials without TLS');
    expect(() => registryFromEndpoint('not a url')).toThrow("ECR returned proxyEndpoint 'not a url', which is not a URL");
  });
});
