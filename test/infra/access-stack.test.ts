import { aws_iam as iam } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { build, foundationApp, refOf, resourcesOf, specWith } from './fixtures';
import { expectNoNagFindings } from './nag';
import { conditionsAllow, deploySubjects, imagePushSubjects, pipelineWorkflowRef, serviceStackArns } from '../../src/infra';

const HOST = 'token.actions.githubusercontent.com';

/** The claims IAM sees for a GitHub job under the subject template repo, context, job_workflow_ref. */
function tokenOf(job: { repo?: string; context: string; workflow?: string; ref?: string; aud?: string }): Record<string, string> {
  const repo = job.repo ?? 'slipway-dev/flask-app';
  const workflowRef = `${repo}/${job.workflow ?? '.github/workflows/pipeline.yml'}@${job.ref ?? 'refs/heads/main'}`;
  return { [`${HOST}:aud`]: job.aud ?? 'sts.amazonaws.com', [`${HOST}:sub`]: `repo:${repo}:${job.context}:job_workflow_ref:${workflowRef}` };
}

interface RoleResource {
  Properties: {
    RoleName?: string;
    MaxSessionDuration?: number;
    AssumeRolePolicyDocument: { Statement: { Condition: Parameters<typeof conditionsAllow>[0]; Principal: unknown }[] };
  };
}

function roleByOutput(template: Template, output: string): RoleResource {
  const value = template.findOutputs(output)[output].Value as { 'Fn::GetAtt': [string, string] };
  return template.findResources('AWS::IAM::Role')[value['Fn::GetAtt'][0]] as RoleResource;
}

function admits(role: RoleResource, token: Record<string, string>): boolean {
  return role.Properties.AssumeRolePolicyDocument.Statement.some((s) => conditionsAllow(s.Condition, token));
}

describe('conditionsAllow (the IAM condition evaluator the trust tests use)', () => {
  const key = `${HOST}:sub`;
  it('StringEquals: exact, case-sensitive value, case-insensitive key; any listed value matches', () => {
    expect(conditionsAllow({ StringEquals: { [key]: ['a', 'b'] } }, { [key]: 'b' })).toBe(true);
    expect(conditionsAllow({ StringEquals: { [key]: 'a' } }, { [key.toUpperCase()]: 'a' })).toBe(true);
    expect(conditionsAllow({ StringEquals: { [key]: 'a' } }, { [key]: 'A' })).toBe(false);
  });
  it('every key and every operator must hold; an absent key fails', () => {
    const both = { StringEquals: { k1: 'x' }, StringLike: { k2: 'y*' } };
    expect(conditionsAllow(both, { k1: 'x', k2: 'yes' })).toBe(true);
    expect(conditionsAllow(both, { k1: 'x', k2: 'no' })).toBe(false);
    expect(conditionsAllow(both, { k1: 'x' })).toBe(false);
  });
  it('StringLike: * and ? are the only wildcards; regex characters are literal', () => {
    expect(conditionsAllow({ StringLike: { k: 'repo:o/r:ref:refs/heads/*' } }, { k: 'repo:o/r:ref:refs/heads/feature/x' })).toBe(true);
    expect(conditionsAllow({ StringLike: { k: 'v?' } }, { k: 'v1' })).toBe(true);
    expect(conditionsAllow({ StringLike: { k: 'v?' } }, { k: 'v10' })).toBe(false);
    expect(conditionsAllow({ StringLike: { k: 'a.c' } }, { k: 'abc' })).toBe(false);
  });
  it('refuses to guess an operator it does not model', () => {
    expect(() => conditionsAllow({ ForAnyValueStringLike: { k: 'x' } }, { k: 'x' })).toThrow(/'ForAnyValueStringLike' is not modelled/);
  });
});

describe('trust subjects', () => {
  it('bind each deploy branch to the pipeline workflow of that branch (and, for deploys, the rollback workflow)', () => {
    const spec = specWith({ environment: 'staging', github: { owner: 'acme', repo: 'shop', branches: ['main', 'release/2'] } });
    expect(pipelineWorkflowRef(spec, 'release/2')).toBe('acme/shop/.github/workflows/pipeline.yml@refs/heads/release/2');
    expect(imagePushSubjects(spec)).toEqual([
      'repo:acme/shop:ref:refs/heads/main:job_workflow_ref:acme/shop/.github/workflows/pipeline.yml@refs/heads/main',
      'repo:acme/shop:ref:refs/heads/release/2:job_workflow_ref:acme/shop/.github/workflows/pipeline.yml@refs/heads/release/2',
    ]);
    expect(deploySubjects(spec)).toEqual([
      'repo:acme/shop:environment:staging:job_workflow_ref:acme/shop/.github/workflows/pipeline.yml@refs/heads/main',
      'repo:acme/shop:environment:staging:job_workflow_ref:acme/shop/.github/workflows/pipeline.yml@refs/heads/release/2',
      'repo:acme/shop:environment:staging:job_workflow_ref:acme/shop/.github/workflows/rollback.yml@refs/heads/main',
      'repo:acme/shop:environment:staging:job_workflow_ref:acme/shop/.github/workflows/rollback.yml@refs/heads/release/2',
    ]);
  });
});

describe('AccessStack', () => {
  const { access: template, stacks, spec } = build();
  const deploy = roleByOutput(template, 'DeployRoleArn');
  const imagePush = roleByOutput(template, 'ImagePushRoleArn');

  it("references the account's existing GitHub provider by its deterministic ARN by default, creating none", () => {
    template.resourceCountIs('AWS::IAM::OIDCProvider', 0);
    const federated = JSON.stringify(deploy.Properties.AssumeRolePolicyDocument.Statement[0].Principal);
    expect(federated).toContain(':oidc-provider/token.actions.githubusercontent.com');
    expect(federated).toContain('AWS::AccountId');
    expect(federated).toContain('AWS::Partition');
  });

  it('has three roles (image push, deploy, hosts configuration), all named by CloudFormation (IAM names are global: no collision across regions)', () => {
    const roles = resourcesOf(template, 'AWS::IAM::Role');
    expect(roles).toHaveLength(3);
    for (const [, role] of roles) expect(role.Properties.RoleName).toBeUndefined();
  });

  it('the deploy role admits the environment job of the pipeline workflow on main, and nothing else', () => {
    expect(admits(deploy, tokenOf({ context: 'environment:production' }))).toBe(true);
    // an environment job from another branch
    expect(admits(deploy, tokenOf({ context: 'environment:production', ref: 'refs/heads/feature' }))).toBe(false);
    // an environment job from another workflow on main
    expect(admits(deploy, tokenOf({ context: 'environment:production', workflow: '.github/workflows/evil.yml' }))).toBe(false);
    // the right workflow, but no environment (the image job's own subject)
    expect(admits(deploy, tokenOf({ context: 'ref:refs/heads/main' }))).toBe(false);
    // another environment, another repository, another audience
    expect(admits(deploy, tokenOf({ context: 'environment:staging' }))).toBe(false);
    expect(admits(deploy, tokenOf({ context: 'environment:production', repo: 'someone/flask-app' }))).toBe(false);
    expect(admits(deploy, tokenOf({ context: 'environment:production', aud: 'https://github.com/slipway-dev' }))).toBe(false);
    // the default subject template (no job_workflow_ref): refused, so a repository that skipped the setup step fails closed
    expect(admits(deploy, { [`${HOST}:aud`]: 'sts.amazonaws.com', [`${HOST}:sub`]: 'repo:slipway-dev/flask-app:environment:production' })).toBe(false);
    expect(JSON.stringify(deploy.Properties.AssumeRolePolicyDocument)).not.toMatch(/StringLike|\*/);
  });

  it('the image-push role admits pushes to main from the pipeline workflow only', () => {
    expect(admits(imagePush, tokenOf({ context: 'ref:refs/heads/main' }))).toBe(true);
    expect(admits(imagePush, tokenOf({ context: 'ref:refs/heads/feature', ref: 'refs/heads/feature' }))).toBe(false);
    expect(admits(imagePush, tokenOf({ context: 'pull_request' }))).toBe(false);
    expect(admits(imagePush, tokenOf({ context: 'ref:refs/heads/main', workflow: '.github/workflows/other.yml' }))).toBe(false);
    expect(admits(imagePush, tokenOf({ context: 'environment:production' }))).toBe(false);
  });

  it("gives the deploy role a session that outlasts the deploy job (the spec's wait plus the stop window)", () => {
    expect(deploy.Properties.MaxSessionDuration).toBe(spec.pipeline.deploySessionSeconds);
    expect(spec.pipeline.deploySessionSeconds).toBeGreaterThanOrEqual(spec.pipeline.deployJobTimeoutMinutes * 60);
    const long = build(specWith({ pipeline: { deployWaitMinutes: 180 } }));
    expect(roleByOutput(long.access, 'DeployRoleArn').Properties.MaxSessionDuration).toBe(4 * 3600);
  });

  it("only lets the deploy role read this service's own stacks", () => {
    const deployRoleId = (template.findOutputs('DeployRoleArn').DeployRoleArn.Value as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const policies = resourcesOf(template, 'AWS::IAM::Policy').filter(([, p]) => (p.Properties.Roles as unknown[]).some((r) => refOf(r) === deployRoleId));
    expect(policies).toHaveLength(1);
    const document = policies[0][1].Properties.PolicyDocument as { Statement: { Action: unknown; Resource: unknown[] }[] };
    expect(document.Statement).toEqual([expect.objectContaining({ Action: 'cloudformation:DescribeStacks', Effect: 'Allow', Sid: 'ReadServiceStacks' })]);
    const resources = JSON.stringify(document.Statement[0].Resource);
    for (const stack of ['network', 'hosts', 'access', 'platform', 'data', 'logs', 'observability', 'delivery']) {
      expect(resources).toContain(`:stack/flask-app-production-${stack}/*`);
    }
    expect(document.Statement[0].Resource).toHaveLength(serviceStackArns(spec).length);
    template.resourceCountIs('AWS::IAM::User', 0);
    template.resourceCountIs('AWS::IAM::AccessKey', 0);
  });

  it('exposes the deploy role so the delivery stack can add the pipeline permissions to it', () => {
    const fresh = foundationApp(specWith()).stacks.access;
    const pipelineArn = 'arn:aws:codepipeline:eu-west-1:123456789012:flask-app-production-deploy';
    fresh.deployRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['codepipeline:StartPipelineExecution'], resources: [pipelineArn] }));
    Template.fromStack(fresh).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [Match.objectLike({ Action: 'codepipeline:StartPipelineExecution', Resource: pipelineArn })] },
      Roles: [{ Ref: Match.stringLikeRegexp('^DeployRole') }],
    });
  });

  it('outputs both role ARNs and the provider ARN under stable export names', () => {
    template.hasOutput('DeployRoleArn', { Export: { Name: 'flask-app-production-access-DeployRoleArn' } });
    template.hasOutput('ImagePushRoleArn', { Export: { Name: 'flask-app-production-access-ImagePushRoleArn' } });
    template.hasOutput('GitHubOidcProviderArn', { Export: { Name: 'flask-app-production-access-GitHubOidcProviderArn' } });
  });

  it('passes cdk-nag AwsSolutions with no unacknowledged finding', () => {
    expectNoNagFindings(stacks.access);
  });
});

describe('AccessStack with github.createOidcProvider (an account without a provider)', () => {
  const { access: template, stacks } = build(specWith({ github: { owner: 'slipway-dev', repo: 'flask-app', createOidcProvider: true } }));

  it('creates the provider with audience sts.amazonaws.com, retained on delete, and both roles trust it', () => {
    template.resourceCountIs('AWS::IAM::OIDCProvider', 1);
    template.hasResource('AWS::IAM::OIDCProvider', {
      Properties: Match.objectLike({ Url: 'https://token.actions.githubusercontent.com', ClientIdList: ['sts.amazonaws.com'] }),
      DeletionPolicy: 'Retain',
    });
    const [providerId] = Object.keys(template.findResources('AWS::IAM::OIDCProvider'));
    for (const output of ['DeployRoleArn', 'ImagePushRoleArn']) {
      expect(roleByOutput(template, output).Properties.AssumeRolePolicyDocument.Statement[0].Principal).toEqual({ Federated: { Ref: providerId } });
    }
  });

  it('passes cdk-nag AwsSolutions with no unacknowledged finding', () => {
    expectNoNagFindings(stacks.access);
  });
});

describe('AccessStack with an existing provider named by ARN', () => {
  const arn = 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com';
  const { access: template } = build(specWith({ github: { owner: 'slipway-dev', repo: 'flask-app', oidcProviderArn: arn } }));

  it('creates no provider and trusts the one the spec names', () => {
    template.resourceCountIs('AWS::IAM::OIDCProvider', 0);
    expect(roleByOutput(template, 'DeployRoleArn').Properties.AssumeRolePolicyDocument.Statement[0].Principal).toEqual({ Federated: arn });
    template.hasOutput('GitHubOidcProviderArn', { Value: arn });
  });
});
