/**
 * The hosts-configuration role the pipeline's configure-hosts job assumes: trusted like the deploy role,
 * allowed sessions on this service's hosts only and files through the transfer bucket only.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { build, resourcesOf, specWith } from './fixtures';
import { expectNoNagFindings } from './nag';
import { discoveryPermissions, ssmPermissions } from '../../src/hosts/aws-errors';
import { ConditionBlock, conditionsAllow } from '../../src/infra';
import { CONFIGURE_HOSTS_SESSION_SECONDS, TAG_ENVIRONMENT, TAG_SERVICE, hostTransferBucketName } from '../../src/spec';

const HOST = 'token.actions.githubusercontent.com';

interface Statement {
  readonly Sid: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: ConditionBlock;
}

function roleIdOf(template: Template): string {
  const value = template.findOutputs('HostsConfigRoleArn').HostsConfigRoleArn.Value as { 'Fn::GetAtt': [string, string] };
  return value['Fn::GetAtt'][0];
}

function trustOf(template: Template): { Condition: ConditionBlock }[] {
  const role = template.findResources('AWS::IAM::Role')[roleIdOf(template)] as { Properties: { AssumeRolePolicyDocument: { Statement: { Condition: ConditionBlock }[] } } };
  return role.Properties.AssumeRolePolicyDocument.Statement;
}

function statementsOf(template: Template): Statement[] {
  const id = roleIdOf(template);
  const policies = resourcesOf(template, 'AWS::IAM::Policy').filter(([, p]) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === id));
  expect(policies).toHaveLength(1);
  return (policies[0][1].Properties.PolicyDocument as { Statement: Statement[] }).Statement;
}

const actionsOf = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
/** A resource as text: `Fn::Join` joined, pseudo-parameters as `<Partition>`, `<AccountId>`. */
function text(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as { 'Ref'?: string; 'Fn::Join'?: [string, unknown[]] };
  if (v.Ref?.startsWith('AWS::')) return `<${v.Ref.slice(5)}>`;
  if (v['Fn::Join']) return v['Fn::Join'][1].map(text).join(v['Fn::Join'][0]);
  throw new Error(`cannot read ${JSON.stringify(value)} as text`);
}

describe('the hosts-configuration role', () => {
  const { access: template, stacks, spec } = build();
  const statements = statementsOf(template);

  it('admits the configure-hosts job (the environment, the pipeline workflow on main) and refuses another branch or workflow', () => {
    const token = (sub: string) => ({ [`${HOST}:aud`]: 'sts.amazonaws.com', [`${HOST}:sub`]: sub });
    const repo = 'slipway-dev/flask-app';
    const admits = (sub: string) => trustOf(template).some((s) => conditionsAllow(s.Condition, token(sub)));
    expect(admits(`repo:${repo}:environment:production:job_workflow_ref:${repo}/.github/workflows/pipeline.yml@refs/heads/main`)).toBe(true);
    expect(admits(`repo:${repo}:environment:production:job_workflow_ref:${repo}/.github/workflows/pipeline.yml@refs/heads/feature`)).toBe(false);
    expect(admits(`repo:${repo}:environment:production:job_workflow_ref:${repo}/.github/workflows/other.yml@refs/heads/main`)).toBe(false);
    expect(admits(`repo:${repo}:ref:refs/heads/main:job_workflow_ref:${repo}/.github/workflows/pipeline.yml@refs/heads/main`)).toBe(false);
  });

  it('outlasts the job: the session the workflow asks for', () => {
    const role = template.findResources('AWS::IAM::Role')[roleIdOf(template)] as { Properties: { MaxSessionDuration: number; RoleName?: string } };
    expect(role.Properties.MaxSessionDuration).toBe(CONFIGURE_HOSTS_SESSION_SECONDS);
    expect(role.Properties.RoleName).toBeUndefined();
  });

  it('starts sessions only on instances tagged with this service and environment, and with the default shell document', () => {
    const start = statements.filter((s) => actionsOf(s).includes('ssm:StartSession'));
    const onInstances = start.find((s) => text(s.Resource).includes(':instance/*'))!;
    expect(text(onInstances.Resource)).toBe(`arn:<Partition>:ec2:${spec.region}:<AccountId>:instance/*`);
    const tags = (service: string, environment: string) => ({ [`ssm:resourceTag/${TAG_SERVICE}`]: service, [`ssm:resourceTag/${TAG_ENVIRONMENT}`]: environment });
    expect(conditionsAllow(onInstances.Condition!, tags('flask-app', 'production'))).toBe(true);
    expect(conditionsAllow(onInstances.Condition!, tags('other-service', 'production'))).toBe(false);
    expect(conditionsAllow(onInstances.Condition!, tags('flask-app', 'staging'))).toBe(false);
    expect(conditionsAllow(onInstances.Condition!, {})).toBe(false);
    // The only other StartSession is on the session document, which carries no instance.
    expect(start.filter((s) => s !== onInstances).map((s) => text(s.Resource))).toEqual([`arn:<Partition>:ssm:${spec.region}::document/SSM-SessionManagerRunShell`]);
  });

  it('ends and resumes only its own sessions', () => {
    const own = statements.find((s) => actionsOf(s).includes('ssm:TerminateSession'))!;
    expect(actionsOf(own).sort()).toEqual(['ssm:ResumeSession', 'ssm:TerminateSession']);
    expect(own.Condition).toEqual({ StringLike: { 'ssm:resourceTag/aws:ssmmessages:session-id': ['${aws:userid}'] } });
  });

  it('touches S3 only in the transfer bucket, and finds hosts without any write', () => {
    const s3 = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('s3:')));
    const bucket = `arn:<Partition>:s3:::${hostTransferBucketName(spec.names, '<AccountId>', spec.region)}`;
    expect(s3.map((s) => [actionsOf(s).sort(), text(s.Resource)])).toEqual([
      [['s3:GetBucketLocation', 's3:ListBucket'], bucket],
      [['s3:DeleteObject', 's3:GetObject', 's3:PutObject'], `${bucket}/*`],
    ]);
    const all = statements.flatMap(actionsOf).sort();
    expect(all.filter((a) => !a.startsWith('s3:') && !a.startsWith('ssm:'))).toEqual(['cloudformation:DescribeStacks', 'ec2:DescribeInstances']);
    expect(all.some((a) => a.includes('*'))).toBe(false);
  });

  it('grants every permission the driver tells a user it needs, for either discovery', () => {
    const granted = new Set(statements.flatMap(actionsOf));
    const named = [...discoveryPermissions('stack'), ...ssmPermissions(spec)].join(' ').match(/\b(?:ec2|ssm|s3|cloudformation):[A-Za-z]+/g)!;
    expect(named.length).toBeGreaterThanOrEqual(8);
    expect(named.filter((action) => !granted.has(action))).toEqual([]);
  });

  it('outputs its ARN for the repository variable, and passes cdk-nag with no unacknowledged finding', () => {
    template.hasOutput('HostsConfigRoleArn', { Export: { Name: 'flask-app-production-access-HostsConfigRoleArn' }, Description: `Hosts-configuration role: set it as the GitHub variable ${spec.pipeline.hostsRoleVariable}` });
    expectNoNagFindings(stacks.access);
  });

  it('does not exist without hosts', () => {
    const none = build(specWith({ hosts: { count: 0 } })).access;
    expect(none.findOutputs('HostsConfigRoleArn')).toEqual({});
    none.resourceCountIs('AWS::IAM::Role', 2);
  });
});
