/**
 * The PR infra diff on the estate itself: two stages synthesized into one assembly each (as `cdk synth` runs
 * src/main.ts), a change to staging's network only; the report puts every stack under its stage and shows
 * production unchanged.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App } from 'aws-cdk-lib';
import { buildEstate } from '../../src/infra/app';
import { readAssemblyTemplates } from '../../src/pipeline/cloud-assembly';
import { readStackStages } from '../../src/pipeline/stack-stages';
import { main } from '../../src/pipeline/template-diff-cli';
import { EstateSpec, ServiceOptions, normaliseEstate } from '../../src/spec';
import { TWO_STAGES } from '../projen/workflows/synth';
import { seedOptions } from '../spec/fixtures';

jest.setTimeout(120_000);

function estateWith(stagingCidr: string): EstateSpec {
  const [staging, production] = TWO_STAGES.stages!;
  const octets = stagingCidr.split('.');
  const subnet = (n: number) => `${octets[0]}.${octets[1]}.${n}.0/24`;
  const options: ServiceOptions = {
    ...seedOptions(),
    stages: [
      { ...staging, network: { cidr: stagingCidr, publicSubnets: [subnet(0), subnet(1)], privateSubnets: [subnet(2), subnet(3)] } },
      production,
    ],
  };
  return normaliseEstate(options);
}

/** One side as the job has it: cdk.out from `cdk synth`, and the spec file npx projen wrote. */
function synth(dir: string, estate: EstateSpec): void {
  const app = new App({ outdir: join(dir, 'cdk.out') });
  buildEstate(app, estate);
  app.synth();
  mkdirSync(join(dir, '.slipway'));
  writeFileSync(join(dir, '.slipway', 'spec.json'), JSON.stringify(estate));
}

describe('the infra diff of a two-stage estate', () => {
  let root: string;
  const base = estateWith('172.20.0.0/16');
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'slipway-diff-estate-'));
    synth(join(root, 'base'), base);
    synth(join(root, 'head'), estateWith('172.21.0.0/16'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test('the spec file gives every stack of the assembly a stage', () => {
    const stages = readStackStages(join(root, 'base', '.slipway', 'spec.json'));
    expect([...readAssemblyTemplates(join(root, 'base', 'cdk.out')).keys()].filter((stack) => !stages.has(stack))).toEqual([]);
    expect([...new Set(stages.values())]).toEqual(['staging', 'production']);
  });

  test('the report: staging changed (its network stack under it), production unchanged', () => {
    const summary = join(root, 'summary.md');
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      expect(main([
        '--base', join(root, 'base', 'cdk.out'), '--head', join(root, 'head', 'cdk.out'),
        '--base-spec', join(root, 'base', '.slipway', 'spec.json'), '--head-spec', join(root, 'head', '.slipway', 'spec.json'),
        '--output', summary,
      ])).toBe(0);
    } finally {
      log.mockRestore();
    }
    const md = readFileSync(summary, 'utf8');
    const stageHeadings = md.split('\n').filter((l) => l.startsWith('### Stage '));
    expect(stageHeadings.map((l) => l.replace(/:.*/, ''))).toEqual(['### Stage `staging`', '### Stage `production`']);
    expect(stageHeadings[1]).toBe(`### Stage \`production\`: no changes (${Object.keys(base.stages[1].names.stacks).length} stacks)`);
    const stagingSection = md.slice(md.indexOf('### Stage `staging`'), md.indexOf('### Stage `production`'));
    expect(stagingSection).toContain('#### `flask-app-staging-network` (modified)');
    expect(stagingSection).not.toContain('flask-app-production-');
  });
});
