/**
 * Two stages of one service in one assembly, as `cdk synth` builds the default `.projenrc.ts`: each stage's
 * roles trust only its own GitHub Environment, its pipeline deploys only its own stacks, the image repository
 * and the image-push role exist once (in the first stage) and the GitHub provider once per account; and the
 * same with the stages in two accounts, where the repository grants the other account's pulls. The
 * cross-account estate (production protected, so with its preview and approval) is also the one cdk-nag and
 * the cfn-guard plugin read, in one synth.
 */
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { TWO_STAGES, estateWith } from './fixtures';
import { expectNoNagFindings } from './nag';
import {
  CFN_GUARD_PLUGIN, IMAGE_PULL_ACTIONS, ServiceStacks, buildEstate, conditionsAllow, deploySubjects, oidcProviderCreators, serviceApp,
  serviceLinkedRoleCreators, stacksDeployedByPipeline,
} from '../../src/infra';
import type { EstateSpec, ServiceSpec } from '../../src/spec';

jest.setTimeout(240_000);

const HOST = 'token.actions.githubusercontent.com';
type Condition = Parameters<typeof conditionsAllow>[0];
type Statement = { Sid?: string; Action: string | string[]; Resource?: unknown; Principal?: unknown; Condition?: Condition };
type Resource = { Type: string; Properties: Record<string, any>; DependsOn?: string[] };

function built(estate: EstateSpec): { app: App; stages: readonly ServiceStacks[] } {
  const app = new App();
  return { app, stages: buildEstate(app, estate) };
}

function resources(stack: ServiceStacks[keyof ServiceStacks], type: string): Resource[] {
  return Object.values(Template.fromStack(stack).findResources(type)) as Resource[];
}

function deployRoleOf(stacks: ServiceStacks): Resource {
  const template = Template.fromStack(stacks.access);
  const id = (template.findOutputs('DeployRoleArn').DeployRoleArn.Value as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
  return template.findResources('AWS::IAM::Role')[id] as Resource;
}

/** The token of the pipeline's deploy job for `stage`'s GitHub Environment, from main. */
function deployToken(spec: ServiceSpec, environment: string): Record<string, string> {
  return { [`${HOST}:aud`]: 'sts.amazonaws.com', [`${HOST}:sub`]: deploySubjects({ github: spec.github, environment })[0] };
}

function admits(role: Resource, token: Record<string, string>): boolean {
  return (role.Properties.AssumeRolePolicyDocument.Statement as Statement[]).some((s) => conditionsAllow(s.Condition!, token));
}

/** Each stack's dependencies by stack name (references become dependencies at synthesis). */
function dependencies(app: App, stages: readonly ServiceStacks[]): Record<string, string[]> {
  app.synth();
  type Named = { stackName: string; dependencies: { stackName: string }[] };
  const named = (stack: Named) => [stack.stackName, stack.dependencies.map((d) => d.stackName)];
  return Object.fromEntries(stages.flatMap((stacks) => Object.values(stacks).map(named)));
}

describe('two stages in one account and region (the default .projenrc.ts), the account creating its GitHub provider and OpenSearch role', () => {
  const estate = estateWith({ github: { owner: 'slipway-dev', repo: 'flask-app', createOidcProvider: true }, logs: { createServiceLinkedRole: true } });
  const { app, stages } = built(estate);
  const [staging, production] = stages;
  const [stagingSpec, productionSpec] = estate.stages;

  test('the stages are the default staging and production, each with its own names', () => {
    expect(estate.stages.map((s) => s.stage.name)).toEqual(TWO_STAGES.map((s) => s.name));
    expect(staging.access.stackName).toBe('flask-app-staging-access');
    expect(production.access.stackName).toBe('flask-app-production-access');
  });

  test("each stage's deploy role admits its own environment's deploy job and refuses the other stage's", () => {
    const stagingRole = deployRoleOf(staging);
    const productionRole = deployRoleOf(production);
    expect(admits(stagingRole, deployToken(stagingSpec, 'staging'))).toBe(true);
    expect(admits(stagingRole, deployToken(stagingSpec, 'production'))).toBe(false);
    expect(admits(productionRole, deployToken(productionSpec, 'production'))).toBe(true);
    expect(admits(productionRole, deployToken(productionSpec, 'staging'))).toBe(false);
  });

  test('the account creates its GitHub provider once, in the first stage; the second stage trusts it by ARN, after it', () => {
    expect(oidcProviderCreators(estate)).toEqual(new Set(['staging']));
    expect(resources(staging.access, 'AWS::IAM::OIDCProvider')).toHaveLength(1);
    expect(resources(production.access, 'AWS::IAM::OIDCProvider')).toHaveLength(0);
    const federated = JSON.stringify(deployRoleOf(production).Properties.AssumeRolePolicyDocument.Statement[0].Principal);
    expect(federated).toContain(':oidc-provider/token.actions.githubusercontent.com');
    expect(production.access.dependencies).toContain(staging.access);
  });

  test('without createOidcProvider no stage creates the provider (each references the account\'s by ARN)', () => {
    expect(oidcProviderCreators(estateWith())).toEqual(new Set());
  });

  test('the OpenSearch service-linked role, one per account, is created by the first stage that asks; the second waits for it', () => {
    expect(serviceLinkedRoleCreators(estate)).toEqual(new Set(['staging']));
    expect(resources(staging.logs, 'AWS::IAM::ServiceLinkedRole')).toHaveLength(1);
    expect(resources(production.logs, 'AWS::IAM::ServiceLinkedRole')).toHaveLength(0);
    expect(production.logs.dependencies).toContain(staging.logs);
    // Stages in two accounts: each account gets its own role, and its own provider.
    const twoAccounts = estateWith(
      { github: { owner: 'slipway-dev', repo: 'flask-app', createOidcProvider: true }, logs: { createServiceLinkedRole: true } },
      [{ ...TWO_STAGES[0], account: '111111111111' }, { ...TWO_STAGES[1], account: '222222222222' }],
    );
    expect(serviceLinkedRoleCreators(twoAccounts)).toEqual(new Set(['staging', 'production']));
    expect(oidcProviderCreators(twoAccounts)).toEqual(new Set(['staging', 'production']));
  });

  test('the image repository and the image-push role exist once, in the first stage; the second stage pulls by ARN', () => {
    expect(resources(staging.platform, 'AWS::ECR::Repository')).toHaveLength(1);
    expect(resources(production.platform, 'AWS::ECR::Repository')).toHaveLength(0);
    expect(staging.access.imagePushRole).toBeDefined();
    expect(production.access.imagePushRole).toBeUndefined();
    expect(Template.fromStack(production.access).findOutputs('ImagePushRoleArn')).toEqual({});
    // One account: nothing to grant in the repository policy.
    expect(resources(staging.platform, 'AWS::ECR::Repository')[0].Properties.RepositoryPolicyText).toBeUndefined();
    const pull = resources(production.platform, 'AWS::IAM::Policy').flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]).find((s) => s.Sid === 'PullServiceImage')!;
    expect([pull.Action].flat().sort()).toEqual([...IMAGE_PULL_ACTIONS].sort());
    expect(pull.Resource).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ecr:eu-west-1:', { Ref: 'AWS::AccountId' }, ':repository/flask-app']] });
  });

  test("no stack of one stage depends on another stage's, but for the account-wide resources the first stage creates", () => {
    const stemOf = (stack: string) => (stack.startsWith('flask-app-staging-') ? 'staging' : 'production');
    const across = Object.entries(dependencies(app, stages)).flatMap(([stack, deps]) => deps.filter((d) => stemOf(d) !== stemOf(stack)).map((d) => `${stack} -> ${d}`));
    expect(across.sort()).toEqual(['flask-app-production-access -> flask-app-staging-access', 'flask-app-production-logs -> flask-app-staging-logs']);
  });

  test("each stage's pipeline deploys exactly its own stacks, exclusively, out of the shared assembly", () => {
    for (const [spec, stacks] of [[stagingSpec, staging], [productionSpec, production]] as const) {
      const project = resources(stacks.delivery, 'AWS::CodeBuild::Project').find((p) => p.Properties.Name === spec.names.infraDeployProject)!;
      const commands: string[] = JSON.parse(project.Properties.Source.BuildSpec).phases.build.commands;
      const deploy = commands.find((c) => c.startsWith('cdk deploy'))!;
      const named = deploy.split(' ').filter((word) => word.startsWith('flask-app-'));
      expect(named).toEqual(stacksDeployedByPipeline(spec));
      expect(named.every((stack) => stack.startsWith(`flask-app-${spec.stage.name}-`))).toBe(true);
      // Without --exclusively, cdk deploy adds the named stacks' dependencies: the provider's stack of the first stage.
      expect(deploy).toContain(' --exclusively ');
      expect(deploy).not.toMatch(/--all|\*/);
    }
  });
});

describe('two stages in two accounts, production protected: cross-account pull, and cdk-nag and cfn-guard over both in one synth', () => {
  const STAGING = '111111111111';
  const PRODUCTION = '222222222222';
  const DOMAIN = { name: 'app.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ', hostedZoneName: 'example.com' };
  const estate = estateWith({}, [
    { ...TWO_STAGES[0], account: STAGING },
    { name: 'production', account: PRODUCTION, protected: true, container: { domain: DOMAIN } },
  ]);
  const outdir = mkdtempSync(join(tmpdir(), 'slipway-stages-'));
  const app = serviceApp({ outdir, context: { '@aws-cdk/core:failSynthOnValidationErrors': false } });
  const [staging, production] = buildEstate(app, estate);
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  test("the repository, in staging's account, lets production's account pull, and only pull", () => {
    expect(estate.imageRepository).toMatchObject({ ownerStage: 'staging', account: STAGING, pullAccounts: [PRODUCTION] });
    const [repository] = resources(staging.platform, 'AWS::ECR::Repository');
    const statements = repository.Properties.RepositoryPolicyText.Statement as Statement[];
    expect(statements).toEqual([
      expect.objectContaining({ Sid: 'StageAccountsPull', Effect: 'Allow', Principal: { AWS: expect.stringContaining(`:iam::${PRODUCTION}:root`) } }),
    ]);
    expect([statements[0].Action].flat().sort()).toEqual([...IMAGE_PULL_ACTIONS].sort());
  });

  test("production's task execution role may pull from staging's repository, by its ARN", () => {
    const pull = resources(production.platform, 'AWS::IAM::Policy').flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]).find((s) => s.Sid === 'PullServiceImage')!;
    expect(JSON.stringify(pull.Resource)).toContain(`:ecr:eu-west-1:${STAGING}:repository/flask-app`);
  });

  test('each account creates nothing account-wide twice: no provider by default, one repository', () => {
    expect([...resources(staging.access, 'AWS::IAM::OIDCProvider'), ...resources(production.access, 'AWS::IAM::OIDCProvider')]).toHaveLength(0);
    expect(resources(production.platform, 'AWS::ECR::Repository')).toHaveLength(0);
  });

  test('only the protected stage previews and waits for approval', () => {
    const stageNames = (stacks: ServiceStacks) => (resources(stacks.delivery, 'AWS::CodePipeline::Pipeline')[0].Properties.Stages as { Name: string }[]).map((s) => s.Name);
    expect(stageNames(staging)).toEqual(['Source', 'DeployInfrastructure']);
    expect(stageNames(production)).toEqual(['Source', 'Approve', 'DeployInfrastructure']);
  });

  test('cdk-nag AwsSolutions: no unacknowledged finding in either stage', () => {
    expectNoNagFindings(app);
  });

  test('the cfn-guard plugin ran over both stages and reports no unacknowledged failure', () => {
    app.synth();
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as {
      pluginReports: { pluginName: string; violations: { ruleName: string; violatingConstructs: { constructPath: string }[] }[] }[];
    };
    const guard = report.pluginReports.find((p) => p.pluginName === CFN_GUARD_PLUGIN);
    expect(guard).toBeDefined();
    expect(guard!.violations.flatMap((v) => v.violatingConstructs.map((c) => `${v.ruleName} at ${c.constructPath}`))).toEqual([]);
    const cfn = report.pluginReports.find((p) => p.pluginName === 'CloudFormation Validate');
    expect((cfn?.violations ?? []).flatMap((v) => v.violatingConstructs.map((c) => `${v.ruleName} at ${c.constructPath}`))).toEqual([]);
  });
});
