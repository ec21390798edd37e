/**
 * Stamping: a team renames the service in `.projenrc.ts`, regenerates and
 * synthesizes; no trace of the previous name may survive in anything generated.
 * The previous name is whatever this repository's spec says (not the seed's
 * 'flask-app'), so the test holds in a repository stamped with any valid name.
 */
import { execFileSync } from 'child_process';
import { readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'fs';
import { join, relative } from 'path';
import { readSpecFile } from '../../src/spec';
import { REPO_ROOT, copyRepo, generatedFiles, regenerate } from '../support/repo-copy';

const SEED = readSpecFile(REPO_ROOT).serviceName;
const STAMPED = SEED === 'orders-api' ? 'billing-api' : 'orders-api';

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

describe('stamping a new service from the template', () => {
  let copy: string;
  beforeAll(() => {
    copy = copyRepo('stamp');
    const rcPath = join(copy, '.projenrc.ts');
    const rc = readFileSync(rcPath, 'utf8');
    expect(rc).toContain(`serviceName: '${SEED}'`);
    writeFileSync(rcPath, rc.replace(`serviceName: '${SEED}'`, `serviceName: '${STAMPED}'`));
    regenerate(copy);
    execFileSync('node', ['--require', 'tsx/cjs', 'src/main.ts'], {
      cwd: copy,
      stdio: 'pipe',
      env: { ...process.env, CDK_OUTDIR: join(copy, 'cdk.out') },
    });
  }, 300_000);
  afterAll(() => rmSync(copy, { recursive: true, force: true }));

  function generatedOutputs(): string[] {
    return [...generatedFiles(copy), ...walk(join(copy, 'cdk.out')).map((f) => relative(copy, f))];
  }

  test('the stamped name is used', () => {
    const spec = JSON.parse(readFileSync(join(copy, '.slipway', 'spec.json'), 'utf8')) as { names: { vpc: string } };
    expect(spec.names.vpc).toBe(`vpc-${STAMPED}`);
    const templates = readdirSync(join(copy, 'cdk.out')).filter((f) => f.endsWith('.template.json'));
    expect(templates).toContain(`${STAMPED}-network.template.json`);
    expect(readFileSync(join(copy, 'cdk.out', `${STAMPED}-network.template.json`), 'utf8')).toContain(`vpc-${STAMPED}`);
  });

  test(`no generated file or synthesized template mentions '${SEED}'`, () => {
    const traces = generatedOutputs().filter((file) => readFileSync(join(copy, file), 'utf8').includes(SEED));
    expect(traces).toEqual([]);
  });

  test('the working tree was not touched', () => {
    expect(readFileSync(join(REPO_ROOT, '.projenrc.ts'), 'utf8')).toContain(`serviceName: '${SEED}'`);
  });
});
