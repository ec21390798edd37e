import { diffAssemblies, groupByStage, Template } from '../../src/pipeline/template-diff';
import { renderDiffMarkdown } from '../../src/pipeline/template-diff-render';

const labels = { base: 'main', head: 'feature/vpc' };

describe('renderDiffMarkdown', () => {
  test('no changes says so, with the stack count', () => {
    const same = new Map<string, Template>([['a', { Resources: { T: { Type: 'AWS::SNS::Topic' } } }]]);
    const md = renderDiffMarkdown(diffAssemblies(same, same), labels);
    expect(md).toContain('## Infrastructure diff: `feature/vpc` against `main`');
    expect(md).toContain('No infrastructure changes: the templates of 1 stack are identical.');
  });

  test('changes in cdk diff vocabulary, with warnings for security and replacement', () => {
    const base = new Map<string, Template>([
      ['net', { Resources: { Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } }, Gone: { Type: 'AWS::EC2::NetworkAclEntry' } } }],
    ]);
    const head = new Map<string, Template>([
      ['net', { Resources: { Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '192.168.0.0/16' } } }, Outputs: { VpcId: { Value: 'x' } } }],
    ]);
    const md = renderDiffMarkdown(diffAssemblies(base, head), labels);
    expect(md).toContain('1 stack changed: 0 resources added, 1 removed, 1 modified.');
    expect(md).toContain('> [!WARNING]\n> 1 change touches IAM, security groups, network ACLs or resource policies');
    expect(md).toContain('> [!CAUTION]\n> 1 resource may be replaced');
    expect(md).toContain('| [-] | `Gone` | `AWS::EC2::NetworkAclEntry` | security |');
    expect(md).toContain('| [~] | `Vpc` | `AWS::EC2::VPC` | may replace (CidrBlock) |');
    expect(md).toContain('- [+] Output `VpcId`');
    expect(md).toContain('! Vpc.Properties.CidrBlock: "10.0.0.0/16" → "192.168.0.0/16"');
  });

  test('long values are cut and long lists are capped', () => {
    const big = 'x'.repeat(500);
    const many = Object.fromEntries(Array.from({ length: 250 }, (_, i) => [`K${i}`, i]));
    const base = new Map<string, Template>([['s', { Resources: { R: { Type: 'AWS::SSM::Parameter', Properties: { Value: 'a', ...many } } } }]]);
    const bumped = Object.fromEntries(Object.entries(many).map(([k, v]) => [k, v + 1]));
    const head = new Map<string, Template>([['s', { Resources: { R: { Type: 'AWS::SSM::Parameter', Properties: { Value: big, ...bumped } } } }]]);
    const md = renderDiffMarkdown(diffAssemblies(base, head), labels);
    expect(md).not.toContain(big);
    expect(md).toContain('…');
    expect(md).toContain('# … and 51 more');
  });

  test('a backtick in a branch name cannot break out of the code span', () => {
    const same = new Map<string, Template>();
    expect(renderDiffMarkdown(diffAssemblies(same, same), { base: 'main', head: 'x`<b>y' })).toContain("`x'<b>y`");
  });
});

describe('a section per stage', () => {
  const topic = (name: string): Template => ({ Resources: { T: { Type: 'AWS::SNS::Topic', Properties: { TopicName: name } } } });
  const base = new Map<string, Template>([
    ['svc-staging-data', topic('a')], ['svc-staging-network', topic('n')],
    ['svc-production-data', topic('p')], ['svc-qa-data', topic('q')], ['bootstrap', topic('b')],
  ]);
  const head = new Map<string, Template>([
    ['svc-staging-data', topic('a2')], ['svc-staging-network', topic('n')],
    ['svc-production-data', topic('p')], ['bootstrap', topic('b2')],
  ]);
  // The head's promotion order, then the stage only the base had (qa was removed).
  const stageOf = new Map([
    ['svc-staging-data', 'staging'], ['svc-staging-network', 'staging'], ['svc-production-data', 'production'], ['svc-qa-data', 'qa'],
  ]);
  const diff = diffAssemblies(base, head);

  test('groupByStage: stages in the order given, each with its own stacks; stacks of no stage last', () => {
    expect(groupByStage(diff, stageOf).map((g) => [g.stage, g.stacks.map((s) => `${s.stack}:${s.kind}`)])).toEqual([
      ['staging', ['svc-staging-data:modified', 'svc-staging-network:unchanged']],
      ['production', ['svc-production-data:unchanged']],
      ['qa', ['svc-qa-data:removed']],
      [undefined, ['bootstrap:modified']],
    ]);
  });

  test('each stage is a section with its own totals; an unchanged stage says so; stacks sit under their stage', () => {
    const md = renderDiffMarkdown(diff, labels, stageOf);
    const sections = md.split('\n').filter((l) => l.startsWith('### ') || l.startsWith('#### '));
    expect(sections).toEqual([
      '### Stage `staging`: 1 of 2 stacks changed, 0 added, 0 removed, 1 modified, 1 may replace',
      '#### `svc-staging-data` (modified)',
      '### Stage `production`: no changes (1 stack)',
      '### Stage `qa`: 1 of 1 stack changed, 0 added, 1 removed, 0 modified',
      '#### `svc-qa-data` (removed)',
      '### Stacks of no stage: 1 of 1 stack changed, 0 added, 0 removed, 1 modified, 1 may replace',
      '#### `bootstrap` (modified)',
    ]);
    expect(md).toContain('3 stacks changed: 0 resources added, 1 removed, 2 modified.');
  });

  test('without stages (an assembly no Slipway stage tags) the stacks are listed as before', () => {
    const md = renderDiffMarkdown(diff, labels);
    expect(md).not.toContain('Stage `');
    expect(md).toContain('### `svc-staging-data` (modified)');
  });
});
