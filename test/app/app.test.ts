/**
 * The fixture Flask service (a copy of the template's sample): its pytest suite under Debian's python3-flask
 * and python3-pytest, the Dockerfile's CMD and HEALTHCHECK run for real under
 * Debian's gunicorn with the environment the image sets from the spec, and
 * the Dockerfile's shape (multi-stage, non-root, health-checked, the build
 * arguments the pipeline passes).
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';
import { existsSync, readFileSync } from 'fs';
import { AddressInfo, createServer } from 'net';
import { join } from 'path';
import { parseDockerfile } from './dockerfile';
import { imageBuildArgs } from '../../src/projen/workflows';
import { normaliseServiceOptions } from '../../src/spec';
import { seedOptions } from '../spec/fixtures';
import { IN_CI, describeWithTools } from '../support/real-tools';

/**
 * A fixture copy of the template's Flask sample, not app/: a team replaces app/ with its own service
 * (any language), and app/'s tests are the app's own (pipeline.appTestCommand, `npx projen test:app`).
 * These platform tests hold the image contract the pipeline relies on against a known Flask service.
 */
const APP_DIR = join(__dirname, 'fixture-app');
/** Debian's interpreter: apt installs python3-flask, python3-pytest and gunicorn for it, not for any other python3 on PATH. */
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const MODULES = ['flask', 'pytest', 'gunicorn'];
/** Keeps __pycache__ and .pytest_cache out of the working tree (the build's anti-tamper check would see them). */
const CLEAN_ENV = { PYTHONDONTWRITEBYTECODE: '1' };

const spec = normaliseServiceOptions(seedOptions());
const dockerfile = parseDockerfile(readFileSync(join(APP_DIR, 'Dockerfile'), 'utf8'));

/** Modules Debian's python3 cannot import; under CI a gap is a failure, as for any real tool. */
function missingModules(): string | undefined {
  const probe = spawnSync(PYTHON, ['-c', `import ${MODULES.join(', ')}`], { encoding: 'utf8' });
  if (probe.status === 0) return undefined;
  const why = `${PYTHON} cannot import ${MODULES.join(', ')} (apt-get install python3-flask python3-pytest python3-gunicorn)`;
  if (IN_CI) throw new Error(`real-tool test cannot run under CI: ${why}`);
  return why;
}

describe('the Dockerfile', () => {
  test('is multi-stage: dependencies are built in one stage and copied into the runtime', () => {
    expect(dockerfile.stages.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile.final.instructions.some((i) => i.keyword === 'COPY' && i.args.includes('--from=build'))).toBe(true);
  });

  test('runs as a non-root user', () => {
    const user = dockerfile.final.instructions.filter((i) => i.keyword === 'USER').pop();
    expect(user).toBeDefined();
    expect(user!.args).not.toMatch(/^(0|root)(:|$)/);
  });

  test('has a HEALTHCHECK and a CMD in exec form', () => {
    expect(dockerfile.execForm('HEALTHCHECK')).toEqual(['python', 'healthcheck.py']);
    expect(dockerfile.execForm('CMD')).toEqual(['gunicorn', '--config', 'gunicorn.conf.py', 'app:create_app()']);
  });

  test('declares exactly the build arguments the pipeline passes, and exposes the port from them', () => {
    const declared = dockerfile.final.instructions.filter((i) => i.keyword === 'ARG').map((i) => i.args.split('=')[0]);
    expect(declared.sort()).toEqual(Object.keys(imageBuildArgs(spec)).sort());
    expect(dockerfile.final.instructions.find((i) => i.keyword === 'EXPOSE')?.args).toBe('${PORT}');
  });

  test('.dockerignore keeps the tests out of the image', () => {
    const ignore = readFileSync(join(APP_DIR, '.dockerignore'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
    expect(ignore[0]).toBe('*');
    const copied = dockerfile.final.instructions.filter((i) => i.keyword === 'COPY' && !i.args.includes('--from')).flatMap((i) => i.args.split(/\s+/).slice(0, -1));
    for (const file of copied) expect(ignore).toContain(`!${file}`);
  });
});

describeWithTools('the sample service on Debian python3', { commands: [PYTHON] }, () => {
  const why = missingModules();
  const maybeTest = why ? test.skip : test;
  const maybeDescribe = why ? describe.skip : describe;
  if (why) test.skip(`(skipped: ${why})`, () => undefined);

  maybeTest('its pytest suite passes', () => {
    const run = spawnSync(PYTHON, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', 'tests'], {
      cwd: APP_DIR,
      env: { ...process.env, ...CLEAN_ENV },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(`${run.stdout}${run.stderr}`).toMatch(/\d+ passed/);
    expect(run.status).toBe(0);
  });

  maybeDescribe('the image command, run as the image runs it', () => {
    let server: ChildProcess | undefined;
    let env: NodeJS.ProcessEnv;
    let base: string;

    beforeAll(async () => {
      // The spec's port may be taken on a shared machine; the image reads PORT, so any free port proves the wiring.
      const port = await freePort();
      const args = imageBuildArgs(spec);
      env = { ...process.env, ...CLEAN_ENV, ...args, PORT: String(port) };
      base = `http://127.0.0.1:${port}`;
      const [command, ...rest] = dockerfile.execForm('CMD');
      // In the image gunicorn is a console script on PATH; here it is Debian's module.
      const argv = command === 'gunicorn' ? ['-m', 'gunicorn', ...rest] : rest;
      server = spawn(PYTHON, argv, { cwd: APP_DIR, env, stdio: ['ignore', 'ignore', 'pipe'] });
      await waitFor(`${base}${args.HEALTH_CHECK_PATH}`, 15_000);
    }, 20_000);

    afterAll(() => {
      server?.kill('SIGTERM');
    });

    test('serves / and the health path from the spec', async () => {
      const index = await fetch(`${base}/`);
      expect(index.status).toBe(200);
      expect(await index.json()).toEqual({ service: spec.serviceName, message: `Hello from ${spec.serviceName}` });
      const health = await fetch(`${base}${spec.container.healthCheckPath}`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
    });

    test('the HEALTHCHECK command reports healthy while it serves', () => {
      const [, ...rest] = dockerfile.execForm('HEALTHCHECK');
      expect(spawnSync(PYTHON, rest, { cwd: APP_DIR, env, encoding: 'utf8', timeout: 10_000 }).status).toBe(0);
    });

    test('the HEALTHCHECK command reports unhealthy when nothing answers', async () => {
      const closed = await freePort();
      const [, ...rest] = dockerfile.execForm('HEALTHCHECK');
      const run = spawnSync(PYTHON, rest, { cwd: APP_DIR, env: { ...env, PORT: String(closed) }, encoding: 'utf8', timeout: 10_000 });
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(`unhealthy: http://127.0.0.1:${closed}${spec.container.healthCheckPath}`);
    });

    test('gunicorn refuses to start without a valid PORT and says which setting', () => {
      const [command, ...rest] = dockerfile.execForm('CMD');
      const argv = command === 'gunicorn' ? ['-m', 'gunicorn', ...rest] : rest;
      const run = spawnSync(PYTHON, argv, { cwd: APP_DIR, env: { ...env, PORT: 'eighty' }, encoding: 'utf8', timeout: 15_000 });
      expect(run.status).not.toBe(0);
      expect(run.stderr).toContain("PORT must be a port number (spec.container.port, passed as a build argument), got 'eighty'");
    });
  });
});

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function waitFor(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
      last = `status ${response.status}`;
    } catch (e) {
      last = (e as Error).message;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`gunicorn did not answer ${url} within ${timeoutMs} ms (last: ${last})`);
}
