import { aws_iam as iam } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { build, foundationApp, resourcesOf, specWith } from './fixtures';
import { expectNoNagFindings } from './nag';
import { githubSubjects, serviceStackArns } from '../../src/infra';

describe('githubSubjects', () => {
  it('lists each deploy branch and the GitHub Environment of this repository only', () => {
    const spec = specWith({ environment: 'staging', github: { owner: 'acme', repo: 'shop', branches: ['main', 'release/2'] } });
    expect(githubSubjects(spec)).toEqual([
      'repo:acme/shop:ref:refs/heads/main',
      'repo:acme/shop:ref:refs/heads/release/2',
      'repo:acme/shop:environment:staging',
    ]);
  });
});

describe('AccessStack', () => {
  const { access: template, stacks } = build();

  it('registers the GitHub OIDC provider with audience sts.amazonaws.com, retained on delete', () => {
    template.resourceCountIs('AWS::IAM::OIDCProvider', 1);
    template.hasResource('AWS::IAM::OIDCProvider', {
      Properties: Match.objectLike({ Url: 'https://token.actions.githubusercontent.com', ClientIdList: ['sts.amazonaws.com'] }),
      DeletionPolicy: 'Retain',
    });
    template.hasResourceProperties('AWS::IAM::OIDCProvider', { Tags: Match.arrayWith([{ Key: 'Name', Value: 'flask-app-github-oidc' }]) });
  });

  it('trusts only exact subjects of slipway-dev/flask-app (branch main, environment production) with the STS audience', () => {
    const [providerId] = Object.keys(template.findResources('AWS::IAM::OIDCProvider'));
    const roles = resourcesOf(template, 'AWS::IAM::Role');
    expect(roles).toHaveLength(1);
    const role = roles[0][1].Properties;
    expect(role.RoleName).toBe('flask-app-github-deploy');
    expect(role.MaxSessionDuration).toBe(3600);
    expect(role.AssumeRolePolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Action: 'sts:AssumeRoleWithWebIdentity',
          Effect: 'Allow',
          Principal: { Federated: { Ref: providerId } },
          Condition: {
            StringEquals: {
              'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
              'token.actions.githubusercontent.com:sub': ['repo:slipway-dev/flask-app:ref:refs/heads/main', 'repo:slipway-dev/flask-app:environment:production'],
            },
          },
        },
      ],
    });
    // no StringLike anywhere: a wildcard subject would admit other branches, pull requests or repositories
    expect(JSON.stringify(role.AssumeRolePolicyDocument)).not.toMatch(/StringLike|\*/);
  });

  it("only lets the role read this service's own stacks", () => {
    const policies = resourcesOf(template, 'AWS::IAM::Policy');
    expect(policies).toHaveLength(1);
    const document = policies[0][1].Properties.PolicyDocument as { Statement: { Action: unknown; Resource: unknown[] }[] };
    expect(document.Statement).toEqual([expect.objectContaining({ Action: 'cloudformation:DescribeStacks', Effect: 'Allow', Sid: 'ReadServiceStacks' })]);
    const resources = JSON.stringify(document.Statement[0].Resource);
    for (const stack of ['network', 'hosts', 'access', 'platform', 'data', 'logs', 'observability', 'delivery']) {
      expect(resources).toContain(`:stack/flask-app-${stack}/*`);
    }
    expect(document.Statement[0].Resource).toHaveLength(serviceStackArns(build().spec).length);
    template.resourceCountIs('AWS::IAM::User', 0);
    template.resourceCountIs('AWS::IAM::AccessKey', 0);
  });

  it('exposes the role so the delivery stack can add the pipeline permissions to it', () => {
    const fresh = foundationApp(specWith()).stacks.access;
    const pipelineArn = 'arn:aws:codepipeline:eu-west-1:123456789012:flask-app-deploy';
    fresh.deployRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['codepipeline:StartPipelineExecution'], resources: [pipelineArn] }));
    Template.fromStack(fresh).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [Match.objectLike({ Action: 'codepipeline:StartPipelineExecution', Resource: pipelineArn })] },
      Roles: [{ Ref: Match.stringLikeRegexp('^DeployRole') }],
    });
  });

  it('outputs the deploy role ARN and the provider ARN under stable export names', () => {
    const [roleId] = Object.keys(template.findResources('AWS::IAM::Role'));
    template.hasOutput('DeployRoleArn', { Value: { 'Fn::GetAtt': [roleId, 'Arn'] }, Export: { Name: 'flask-app-access-DeployRoleArn' } });
    template.hasOutput('GitHubOidcProviderArn', { Export: { Name: 'flask-app-access-GitHubOidcProviderArn' } });
  });

  it('passes cdk-nag AwsSolutions with no unacknowledged finding', () => {
    expectNoNagFindings(stacks.access);
  });
});

describe('AccessStack with an existing GitHub OIDC provider', () => {
  const arn = 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com';
  const { access: template, stacks } = build(specWith({ github: { owner: 'slipway-dev', repo: 'flask-app', oidcProviderArn: arn } }));

  it('creates no provider and trusts the one the spec names, with the same exact conditions', () => {
    template.resourceCountIs('AWS::IAM::OIDCProvider', 0);
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'flask-app-github-deploy',
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { Federated: arn },
            Condition: {
              StringEquals: {
                'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
                'token.actions.githubusercontent.com:sub': ['repo:slipway-dev/flask-app:ref:refs/heads/main', 'repo:slipway-dev/flask-app:environment:production'],
              },
            },
          }),
        ],
      },
    });
    template.hasOutput('GitHubOidcProviderArn', { Value: arn });
  });

  it('passes cdk-nag AwsSolutions with no unacknowledged finding', () => {
    expectNoNagFindings(stacks.access);
  });
});
