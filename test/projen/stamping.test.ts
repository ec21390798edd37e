/**
 * Stamping: a team renames the service in `.projenrc.ts`, regenerates and
 * synthesizes; no trace of the previous name may survive in anything generated.
 * The previous name is whatever this repository's spec says (not the seed's
 * 'flask-app'), so the test holds in a repository stamped with any valid name.
 */
import { execFileSync } from 'child_process';
import { readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'fs';
import { join, relative } from 'path';
import { inventoryFile, stageGroupVarsFile } from '../../src/hosts/layout';
import { readSpecFile, type EstateSpec } from '../../src/spec';
import { REPO_ROOT, copyRepo, generatedFiles, regenerate } from '../support/repo-copy';

const SEED = readSpecFile(REPO_ROOT).serviceName;
/** The stages as this repository's .projenrc.ts declares them; the rename must reach every one. */
const STAGES = readSpecFile(REPO_ROOT).stages.map((s) => s.environment);
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

  test('the stamped name is used in every stage', () => {
    const estate = JSON.parse(readFileSync(join(copy, '.slipway', 'spec.json'), 'utf8')) as EstateSpec;
    expect(estate.serviceName).toBe(STAMPED);
    expect(estate.imageRepository.name).toBe(STAMPED);
    expect(estate.stages.map((s) => s.names.vpc)).toEqual(STAGES.map((stage) => `vpc-${STAMPED}-${stage}`));
    const templates = readdirSync(join(copy, 'cdk.out')).filter((f) => f.endsWith('.template.json'));
    for (const stage of STAGES) {
      expect(templates).toContain(`${STAMPED}-${stage}-network.template.json`);
      expect(readFileSync(join(copy, 'cdk.out', `${STAMPED}-${stage}-network.template.json`), 'utf8')).toContain(`vpc-${STAMPED}-${stage}`);
    }
  });

  test(`no generated file of any stage, and no synthesized template, mentions '${SEED}'`, () => {
    const outputs = generatedOutputs();
    // Every stage's own generated files are among those searched (not only the shared ones).
    for (const stage of STAGES) {
      expect(outputs).toEqual(expect.arrayContaining([inventoryFile(stage, 'ssm'), inventoryFile(stage, 'ssh'), stageGroupVarsFile(stage)]));
      expect(outputs.filter((f) => f.startsWith('cdk.out/') && f.includes(`${STAMPED}-${stage}-`)).length).toBeGreaterThan(0);
    }
    const traces = outputs.filter((file) => readFileSync(join(copy, file), 'utf8').includes(SEED));
    expect(traces).toEqual([]);
  });

  test('the working tree was not touched', () => {
    expect(readFileSync(join(REPO_ROOT, '.projenrc.ts'), 'utf8')).toContain(`serviceName: '${SEED}'`);
  });
});
