import { diffAssemblies, Template } from '../../src/pipeline/template-diff';
import { renderDiffComment } from '../../src/pipeline/template-diff-comment';
import { runUrl } from '../../src/pipeline/template-diff-comment-cli';

const labels = { base: 'main', head: 'feature/vpc', runUrl: 'https://github.com/o/r/actions/runs/9' };

describe('renderDiffComment', () => {
  test('per stack, replacements first, then security changes, then the rest; details point to the job summary', () => {
    const base = new Map<string, Template>([
      ['net', { Resources: { Topic: { Type: 'AWS::SNS::Topic' }, Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } } } }],
      ['app', { Resources: { Role: { Type: 'AWS::IAM::Role', Properties: { Path: '/' } } } }],
    ]);
    const head = new Map<string, Template>([
      ['net', {
        Resources: {
          Topic: { Type: 'AWS::SNS::Topic', Properties: { DisplayName: 'x' } },
          Sg: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'web' } },
          Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '192.168.0.0/16' } },
        },
      }],
      ['app', { Resources: { Role: { Type: 'AWS::IAM::Role', Properties: { Path: '/x/' } } } }],
    ]);
    const md = renderDiffComment(diffAssemblies(base, head), labels);
    const net = md.slice(md.indexOf('### `net`'));
    const order = ['`Vpc`', '`Sg`', '`Topic`'].map((id) => net.indexOf(id));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(md).toContain('| [~] | `Vpc` | `AWS::EC2::VPC` | **may replace** (`CidrBlock`) |');
    expect(md).toContain('| [+] | `Sg` | `AWS::EC2::SecurityGroup` | **security** |');
    expect(md).toContain('### `app` (modified)');
    expect(md).toContain('Property changes: the [job summary](https://github.com/o/r/actions/runs/9)');
    expect(md).not.toContain('```diff');
  });

  test('no changes says so', () => {
    const same = new Map<string, Template>([['a', { Resources: { T: { Type: 'AWS::SNS::Topic' } } }]]);
    expect(renderDiffComment(diffAssemblies(same, same), labels)).toContain('No infrastructure changes in 1 stack.');
  });

  test('the run link comes from the runner variables', () => {
    expect(runUrl({ GITHUB_REPOSITORY: 'o/r', GITHUB_RUN_ID: '9' })).toBe('https://github.com/o/r/actions/runs/9');
    expect(runUrl({})).toBeUndefined();
  });
});
