import { spawnSync } from 'child_process';
import { readFileSync, rmSync, writeFileSync } from 'fs';
import { join } from 'path';
import { copyRepo, REPO_ROOT } from '../support/repo-copy';

/** Runs a projen task in `dir` as a user's shell would (jest's NODE_ENV=test silences projen). */
function projen(dir: string, args: string[], extraEnv: Record<string, string> = {}) {
  const { NODE_ENV: _jest, ...env } = process.env;
  return spawnSync(join(REPO_ROOT, 'node_modules', '.bin', 'projen'), args, { cwd: dir, encoding: 'utf8', env: { ...env, NO_COLOR: '1', ...extraEnv } });
}

describe('check:projenrc type-checks .projenrc.ts, which npx projen runs without a type-check', () => {
  let dir: string;
  let good: string;
  beforeAll(() => {
    dir = copyRepo('projenrc-check');
    good = readFileSync(join(dir, '.projenrc.ts'), 'utf8');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('a type error that runs fine under tsx fails the check, naming the file, line and error', () => {
    // A plausible mistake: the value is there at run time, but its type is string | undefined.
    const bad = good.replace("serviceName: 'flask-app',", 'serviceName: process.env.SERVICE_NAME,');
    expect(bad).not.toBe(good);
    writeFileSync(join(dir, '.projenrc.ts'), bad);

    const regenerate = spawnSync(join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), ['.projenrc.ts'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, SERVICE_NAME: 'flask-app', PROJEN_DISABLE_POST: 'true' },
    });
    expect(regenerate.status).toBe(0);

    const check = projen(dir, ['check:projenrc']);
    expect(check.status).not.toBe(0);
    const line = bad.split('\n').findIndex((l) => l.includes('process.env.SERVICE_NAME')) + 1;
    expect(check.stdout).toContain(`.projenrc.ts(${line},5): error TS2322: Type 'string | undefined' is not assignable to type 'string'`);
  }, 120_000);

  test('the seed .projenrc.ts passes', () => {
    writeFileSync(join(dir, '.projenrc.ts'), good);
    const check = projen(dir, ['check:projenrc']);
    expect(check.stdout + check.stderr).not.toContain('error TS');
    expect(check.status).toBe(0);
  }, 120_000);
});
