/**
 * The CLI end to end on real cloud assemblies written by aws-cdk-lib (the
 * same manifest and template files `cdk synth` writes), including a stage's
 * nested assembly.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, Stack, Stage } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { readAssemblyTemplates, stackTemplateRefs } from '../../src/pipeline/cloud-assembly';
import { readStackStages, stackStagesOf } from '../../src/pipeline/stack-stages';
import { main, parseArgs } from '../../src/pipeline/template-diff-cli';

interface Variant {
  readonly cidr: string;
  readonly openSsh: boolean;
}

function synthAssembly(dir: string, v: Variant): void {
  const app = new App({ outdir: dir });
  const network = new Stack(app, 'svc-network', { env: { account: '123456789012', region: 'eu-west-1' } });
  const vpc = new ec2.CfnVPC(network, 'Vpc', { cidrBlock: v.cidr });
  const sg = new ec2.CfnSecurityGroup(network, 'Hosts', { groupDescription: 'hosts', vpcId: vpc.ref });
  if (v.openSsh) new ec2.CfnSecurityGroupIngress(network, 'Ssh', { groupId: sg.ref, ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIp: '203.0.113.0/24' });
  const stage = new Stage(app, 'Prod');
  const access = new Stack(stage, 'svc-access');
  new iam.Role(access, 'Deploy', { assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com') });
  app.synth();
}

describe('template-diff CLI', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'slipway-diff-'));
    synthAssembly(join(root, 'base'), { cidr: '10.0.0.0/16', openSsh: false });
    synthAssembly(join(root, 'head'), { cidr: '192.168.0.0/16', openSsh: true });
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test('reads every stack, nested stages included, under its display name', () => {
    expect([...readAssemblyTemplates(join(root, 'base')).keys()].sort()).toEqual(['Prod/svc-access', 'svc-network']);
  });

  test('writes the report to --output and prints totals and a warning annotation', () => {
    const summary = join(root, 'summary.md');
    writeFileSync(summary, '# earlier step\n');
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      expect(main(['--base', join(root, 'base'), '--head', join(root, 'head'), '--base-label', 'main', '--head-label', 'ssh', '--output', summary])).toBe(0);
      const md = readFileSync(summary, 'utf8');
      expect(md.startsWith('# earlier step\n## Infrastructure diff: `ssh` against `main`')).toBe(true);
      expect(md).toContain('### `svc-network` (modified)');
      expect(md).toMatch(/\| \[\+\] \| `Ssh` \| `AWS::EC2::SecurityGroupIngress` \| security \|/);
      expect(md).toMatch(/\| \[~\] \| `Vpc` \| `AWS::EC2::VPC` \| may replace \(CidrBlock\) \|/);
      expect(md).not.toContain('Prod/svc-access');
      const printed = log.mock.calls.map((c) => String(c[0]));
      expect(printed[0]).toBe('infra diff: 1 stacks changed, 1 added, 0 removed, 1 modified, 1 security-relevant, 1 may replace');
      expect(printed[1]).toMatch(/^::warning title=Security-relevant infrastructure changes::1 resources/);
    } finally {
      log.mockRestore();
    }
  });

  test('a missing assembly fails with an error annotation that says how to make one', () => {
    const err = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      expect(main(['--base', join(root, 'nope'), '--head', join(root, 'head')])).toBe(1);
      expect(String(err.mock.calls[0][0])).toBe(`::error title=Infrastructure diff failed::no cloud assembly at ${join(root, 'nope')} (no manifest.json): synthesize it first with 'npx cdk synth --output ${join(root, 'nope')}'`);
    } finally {
      err.mockRestore();
    }
  });

  test('a corrupt template names the file', () => {
    const broken = join(root, 'broken');
    synthAssembly(broken, { cidr: '10.0.0.0/16', openSsh: false });
    writeFileSync(join(broken, 'svc-network.template.json'), '{ not json');
    expect(() => readAssemblyTemplates(broken)).toThrow(`${join(broken, 'svc-network.template.json')} is not valid JSON`);
  });
});

/** Stacks as buildEstate makes them (one assembly, every stage), and the side's spec file naming each stage's stacks. */
function synthStages(dir: string, stages: { name: string; cidr: string }[]): string {
  const app = new App({ outdir: join(dir, 'cdk.out') });
  for (const stage of stages) new ec2.CfnVPC(new Stack(app, `svc-${stage.name}-network`), 'Vpc', { cidrBlock: stage.cidr });
  app.synth();
  const spec = { schemaVersion: 2, stages: stages.map((s) => ({ stage: { name: s.name }, names: { stacks: { network: `svc-${s.name}-network` } } })) };
  writeFileSync(join(dir, 'spec.json'), JSON.stringify(spec));
  return join(dir, 'cdk.out');
}

describe('template-diff CLI, stage by stage', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'slipway-diff-stages-'));
    synthStages(join(root, 'base'), [{ name: 'staging', cidr: '10.1.0.0/16' }, { name: 'production', cidr: '10.0.0.0/16' }, { name: 'qa', cidr: '10.2.0.0/16' }]);
    synthStages(join(root, 'head'), [{ name: 'staging', cidr: '10.9.0.0/16' }, { name: 'production', cidr: '10.0.0.0/16' }]);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test('the spec file gives each stack its stage, in promotion order', () => {
    expect([...readStackStages(join(root, 'base', 'spec.json'))]).toEqual([
      ['svc-staging-network', 'staging'], ['svc-production-network', 'production'], ['svc-qa-network', 'qa'],
    ]);
  });

  test('the report has a section per stage: the head\'s stages in order, then the stage the head removed', () => {
    const summary = join(root, 'summary.md');
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      const sides = ['--base', join(root, 'base', 'cdk.out'), '--head', join(root, 'head', 'cdk.out')];
      const specs = ['--base-spec', join(root, 'base', 'spec.json'), '--head-spec', join(root, 'head', 'spec.json')];
      expect(main([...sides, ...specs, '--output', summary])).toBe(0);
    } finally {
      log.mockRestore();
    }
    const headings = readFileSync(summary, 'utf8').split('\n').filter((l) => /^#{3,4} /.test(l));
    expect(headings).toEqual([
      '### Stage `staging`: 1 of 1 stack changed, 0 added, 0 removed, 1 modified, 1 may replace',
      '#### `svc-staging-network` (modified)',
      '### Stage `production`: no changes (1 stack)',
      '### Stage `qa`: 1 of 1 stack changed, 0 added, 1 removed, 0 modified',
      '#### `svc-qa-network` (removed)',
    ]);
  });
});

describe('stackStagesOf', () => {
  test('a spec from before stages (schema 1, one ServiceSpec) puts every stack in its environment', () => {
    expect([...stackStagesOf({ schemaVersion: 1, environment: 'production', names: { stacks: { network: 'svc-network', data: 'svc-data' } } }, 'base')])
      .toEqual([['svc-network', 'production'], ['svc-data', 'production']]);
  });

  test('anything else is refused, naming the file', () => {
    expect(() => stackStagesOf({ hello: 1 }, '.pr-base/.slipway/spec.json'))
      .toThrow('.pr-base/.slipway/spec.json is not a Slipway spec file (no stages, no names.stacks)');
    expect(() => readStackStages('/nonexistent/spec.json')).toThrow("no spec file at /nonexistent/spec.json: run 'npx projen' on that side first");
  });
});

describe('parseArgs', () => {
  test('labels fall back to the directories when empty (a push has no head_ref)', () => {
    expect(parseArgs(['--base', 'b', '--head', 'h', '--base-label', '', '--head-label', ''])).toEqual({ base: 'b', head: 'h', baseLabel: 'b', headLabel: 'h' });
  });

  test.each([
    [['--head', 'h'], 'both --base and --head are required'],
    [['--base', 'b', '--head'], '--head needs a value'],
    [['--base', 'b', '--head', 'h', '--colour', 'x'], "unknown argument '--colour'"],
  ])('%j is refused: %s', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(message);
  });
});

describe('stackTemplateRefs', () => {
  test('stacks and nested assemblies from a manifest; other artifacts ignored', () => {
    expect(
      stackTemplateRefs({
        artifacts: {
          'a': { type: 'aws:cloudformation:stack', properties: { templateFile: 'a.template.json' } },
          'b': { type: 'aws:cloudformation:stack', displayName: 'Stage/b' },
          'assembly-Stage': { type: 'cdk:cloud-assembly', properties: { directoryName: 'assembly-Stage' } },
          'Tree': { type: 'cdk:tree' },
        },
      }),
    ).toEqual({ stacks: [{ stack: 'a', templateFile: 'a.template.json' }, { stack: 'Stage/b', templateFile: 'b.template.json' }], nested: ['assembly-Stage'] });
  });
});
