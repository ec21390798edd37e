/**
 * Quick start line 1 (`npm ci && npx projen main`), minus the install: regenerates, synthesizes every stage
 * offline and prints one network plan per stage. Run in a copy, as a user's shell runs it.
 */
import { spawnSync } from 'child_process';
import { readdirSync, rmSync } from 'fs';
import { join } from 'path';
import { readSpecFile } from '../../src/spec';
import { copyRepo, REPO_ROOT } from '../support/repo-copy';

const estate = readSpecFile(REPO_ROOT);

describe('npx projen main (Quick start line 1)', () => {
  let dir: string;
  let run: ReturnType<typeof spawnSync>;
  beforeAll(() => {
    dir = copyRepo('quick-start');
    // No credentials of any kind: the synth is offline.
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_') && k !== 'NODE_ENV') env[k] = v;
    run = spawnSync('npx', ['projen', 'main'], { cwd: dir, encoding: 'utf8', env: { ...env, NO_COLOR: '1', PROJEN_DISABLE_POST: 'true' }, timeout: 240_000 });
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('exits 0 and prints every stage: its header, its network plan and only its stacks', () => {
    expect({ status: run.status, stderr: run.status === 0 ? '' : String(run.stderr) }).toEqual({ status: 0, stderr: '' });
    const out = String(run.stdout);
    expect(out.match(/^Network plan for \S+/gm)).toEqual(estate.stages.map((s) => `Network plan for ${s.names.vpc}`));
    for (const stage of estate.stages) {
      expect(out).toContain(`Network plan for ${stage.names.vpc} (${stage.network.cidr},`);
      expect(out).toContain(`Stage ${stage.stage.index + 1} of ${estate.stages.length}: ${stage.environment} (`);
      expect(out).toContain(`Next for stage ${stage.environment}:`);
    }
    expect(out.match(/^Next:$/gm)).toHaveLength(1);
  });

  test("synthesizes every stage's stacks into one assembly", () => {
    const templates = readdirSync(join(dir, 'cdk.out')).filter((f) => f.endsWith('.template.json'));
    for (const stage of estate.stages) {
      for (const stack of Object.values(stage.names.stacks)) expect(templates).toContain(`${stack}.template.json`);
    }
  });
});
