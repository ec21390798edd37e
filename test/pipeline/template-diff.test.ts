import { REPLACEMENT_PROPERTIES, Template, deepEqual, diffAssemblies, diffStack, diffValues, totals } from '../../src/pipeline/template-diff';

const vpc = (cidr: string) => ({ Type: 'AWS::EC2::VPC', Properties: { CidrBlock: cidr, Tags: [{ Key: 'Name', Value: 'vpc-flask-app' }] } });
const role = (statements: unknown[]) => ({
  Type: 'AWS::IAM::Role',
  Properties: { AssumeRolePolicyDocument: { Statement: [] }, Policies: [{ PolicyName: 'deploy', PolicyDocument: { Statement: statements } }] },
});
const read = { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' };
const write = { Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::b/*' };

describe('diffValues', () => {
  test('a changed scalar is one change at its path', () => {
    expect(diffValues('Properties', { CidrBlock: '10.0.0.0/16' }, { CidrBlock: '192.168.0.0/16' })).toEqual([
      { path: 'Properties.CidrBlock', before: '10.0.0.0/16', after: '192.168.0.0/16' },
    ]);
  });

  test('added and removed keys', () => {
    expect(diffValues('P', { a: 1 }, { b: 2 })).toEqual([{ path: 'P.a', before: 1 }, { path: 'P.b', after: 2 }]);
  });

  test('inserting a statement is one [+], not every later index shifting', () => {
    expect(diffValues('S', [read], [write, read])).toEqual([{ path: 'S[+]', after: write }]);
    expect(diffValues('S', [read, write], [write])).toEqual([{ path: 'S[-]', before: read }]);
  });

  test('same-length scalar lists changed in place are reported by index', () => {
    expect(diffValues('L', ['a', 'b'], ['a', 'c'])).toEqual([{ path: 'L[1]', before: 'b', after: 'c' }]);
  });

  test('equal values produce nothing; deepEqual ignores key order', () => {
    expect(diffValues('', { a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toEqual([]);
    expect(deepEqual({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(true);
    expect(deepEqual([1, 2], [2, 1])).toBe(false);
  });
});

describe('diffStack', () => {
  test('added, removed and modified resources, sorted by logical id', () => {
    const before: Template = { Resources: { Vpc: vpc('10.0.0.0/16'), Old: { Type: 'AWS::SNS::Topic' } } };
    const after: Template = { Resources: { Vpc: vpc('10.0.0.0/16'), New: { Type: 'AWS::SQS::Queue' } } };
    const diff = diffStack('s', before, after);
    expect(diff.kind).toBe('modified');
    expect(diff.resources.map((r) => [r.logicalId, r.kind, r.type])).toEqual([
      ['New', 'added', 'AWS::SQS::Queue'],
      ['Old', 'removed', 'AWS::SNS::Topic'],
    ]);
  });

  test('a documented replacement property is flagged with its name', () => {
    const diff = diffStack('s', { Resources: { Vpc: vpc('10.0.0.0/16') } }, { Resources: { Vpc: vpc('192.168.0.0/16') } });
    expect(diff.resources[0]).toMatchObject({ kind: 'modified', replacedBy: ['CidrBlock'], securityRelevant: false });
    expect(REPLACEMENT_PROPERTIES['AWS::EC2::VPC']).toContain('CidrBlock');
  });

  test('a tag change is an in-place update, not a replacement', () => {
    const tagged = { ...vpc('10.0.0.0/16'), Properties: { CidrBlock: '10.0.0.0/16', Tags: [{ Key: 'Name', Value: 'other' }] } };
    const diff = diffStack('s', { Resources: { Vpc: vpc('10.0.0.0/16') } }, { Resources: { Vpc: tagged } });
    expect(diff.resources[0].replacedBy).toEqual([]);
  });

  test('a changed type under the same logical id is a replacement', () => {
    const diff = diffStack('s', { Resources: { X: { Type: 'AWS::SNS::Topic' } } }, { Resources: { X: { Type: 'AWS::SQS::Queue' } } });
    expect(diff.resources[0]).toMatchObject({ replacedBy: ['Type'], changes: [{ path: 'Type', before: 'AWS::SNS::Topic', after: 'AWS::SQS::Queue' }] });
  });

  test('IAM policy changes are security-relevant and show the statement added', () => {
    const diff = diffStack('s', { Resources: { Role: role([read]) } }, { Resources: { Role: role([read, write]) } });
    expect(diff.resources[0].securityRelevant).toBe(true);
    expect(diff.resources[0].changes).toEqual([{ path: 'Properties.Policies[-]', before: role([read]).Properties.Policies[0] }, { path: 'Properties.Policies[+]', after: role([read, write]).Properties.Policies[0] }]);
  });

  test('a security group rule on any resource type is security-relevant', () => {
    const lb = (ingress: unknown[]) => ({ Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'alb', SecurityGroupIngress: ingress } });
    const diff = diffStack('s', { Resources: { Sg: lb([]) } }, { Resources: { Sg: lb([{ CidrIp: '0.0.0.0/0', FromPort: 22, ToPort: 22, IpProtocol: 'tcp' }]) } });
    expect(diff.resources[0]).toMatchObject({ securityRelevant: true, replacedBy: [] });
  });

  test('CDK bookkeeping is not a change', () => {
    const meta = (path: string) => ({ Type: 'AWS::CDK::Metadata', Properties: { Analytics: path } });
    const withPath = (path: string) => ({ ...vpc('10.0.0.0/16'), Metadata: { 'aws:cdk:path': path } });
    const diff = diffStack('s', { Resources: { CDKMetadata: meta('a'), Vpc: withPath('a/Vpc') } }, { Resources: { CDKMetadata: meta('b'), Vpc: withPath('b/Vpc') } });
    expect(diff).toMatchObject({ kind: 'unchanged', resources: [] });
  });

  test('outputs and parameters are compared by name', () => {
    const diff = diffStack('s', { Outputs: { A: { Value: 1 }, B: { Value: 2 } } }, { Outputs: { A: { Value: 9 }, C: { Value: 3 } }, Parameters: { P: { Type: 'String' } } });
    expect(diff.outputs.map((o) => [o.name, o.kind])).toEqual([['A', 'modified'], ['B', 'removed'], ['C', 'added']]);
    expect(diff.parameters.map((o) => [o.name, o.kind])).toEqual([['P', 'added']]);
  });
});

describe('diffAssemblies and totals', () => {
  test('new and deleted stacks are reported whole', () => {
    const base = new Map<string, Template>([['old', { Resources: { T: { Type: 'AWS::SNS::Topic' } } }], ['same', { Resources: { Vpc: vpc('10.0.0.0/16') } }]]);
    const head = new Map<string, Template>([['new', { Resources: { Q: { Type: 'AWS::SQS::Queue' } } }], ['same', { Resources: { Vpc: vpc('10.0.0.0/16') } }]]);
    const diff = diffAssemblies(base, head);
    expect(diff.stacks.map((s) => [s.stack, s.kind])).toEqual([['new', 'added'], ['old', 'removed'], ['same', 'unchanged']]);
    expect(totals(diff)).toEqual({ stacksChanged: 2, added: 1, removed: 1, modified: 0, securityRelevant: 0, mayReplace: 0 });
  });
});
