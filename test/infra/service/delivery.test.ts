import { EKS_NETWORK, all, estate, only } from './fixtures';
import {
  DEPLOY_ROLE_PIPELINE_ACTIONS, INFRA_DEPLOY_TIMEOUT, PREVIEW_NAMESPACE, PREVIEW_URL_VARIABLE, cdkCliVersion, releaseObjectKey,
  stacksDeployedByPipeline,
} from '../../../src/infra';
import { pipelineSourceKey } from '../../../src/projen/workflows/deploy-job';
import { readsOutputOf } from '../fixtures';

// Synthesizing the whole estate (and running cdk-nag over it) takes seconds on a busy CI machine.
jest.setTimeout(120_000);

type Stage = { Name: string; Actions: { Name: string; ActionTypeId: { Category: string; Provider: string }; Configuration?: Record<string, any> }[] };
const stagesOf = (e: ReturnType<typeof estate>): Stage[] => only(e.delivery, 'AWS::CodePipeline::Pipeline').Properties.Stages;

const CERTIFICATE = 'arn:aws:acm:eu-west-1:123456789012:certificate/abc';

describe('delivery stack (ECS, protected environment)', () => {
  const e = estate({ protectedEnvironment: true, container: { certificateArn: CERTIFICATE } });
  const pipeline = only(e.delivery, 'AWS::CodePipeline::Pipeline');

  test('pipeline type V2, execution mode QUEUED, variables IMAGE_URI and COMMIT_SHA', () => {
    expect(pipeline.Properties).toMatchObject({ Name: 'flask-app-production-deploy', PipelineType: 'V2', ExecutionMode: 'QUEUED' });
    expect(pipeline.Properties.Variables).toEqual([
      expect.objectContaining({ Name: 'IMAGE_URI' }),
      { Name: 'COMMIT_SHA', DefaultValue: 'unknown', Description: expect.any(String) },
    ]);
    expect(pipeline.Properties.Variables[0].DefaultValue).toBeUndefined();
  });

  test('stages: S3 source (no trigger) → preview and manual approval → CodeBuild cdk deploy, the one path the image takes on ECS', () => {
    const stages = stagesOf(e);
    expect(stages.map((s) => [s.Name, s.Actions.map((a) => a.ActionTypeId.Provider)])).toEqual([
      ['Source', ['S3']],
      ['Approve', ['CodeBuild', 'Manual']],
      ['DeployInfrastructure', ['CodeBuild']],
    ]);
    const source = stages[0].Actions[0].Configuration!;
    expect(source).toMatchObject({ S3ObjectKey: 'releases/flask-app/production/cloud-assembly.zip', PollForSourceChanges: false });
    const infra = stages[2].Actions[0].Configuration!;
    expect(JSON.parse(infra.EnvironmentVariables)).toEqual([
      { name: 'IMAGE_URI', type: 'PLAINTEXT', value: '#{variables.IMAGE_URI}' },
      { name: 'COMMIT_SHA', type: 'PLAINTEXT', value: '#{variables.COMMIT_SHA}' },
    ]);
  });

  test("the approval links the preview's diff of exactly the deployed stacks, and notifies the stage's alarm topic", () => {
    const [preview, approval] = stagesOf(e).find((s) => s.Name === 'Approve')!.Actions as (Stage['Actions'][number] & { RunOrder: number; Namespace?: string })[];
    // The preview runs first; the approval reads its exported variable through the action's namespace.
    expect([preview.RunOrder, approval.RunOrder]).toEqual([1, 2]);
    expect(preview.Namespace).toBe(PREVIEW_NAMESPACE);
    expect(approval.Configuration!.ExternalEntityLink).toBe(`#{${PREVIEW_NAMESPACE}.${PREVIEW_URL_VARIABLE}}`);
    expect(approval.Configuration!.CustomData).toMatch(/#\{variables\.IMAGE_URI\}.*protected stage 'production'.*#\{Preview\.DIFF_URL\}$/);
    const topic = readsOutputOf(approval.Configuration!.NotificationArn, e.spec.names.stacks.observability, 'AlarmTopic');
    expect(topic).toBe(true);
    expect(JSON.parse(preview.Configuration!.EnvironmentVariables).map((v: { name: string }) => v.name)).toEqual(['IMAGE_URI', 'COMMIT_SHA']);

    const project = all(e.delivery, 'AWS::CodeBuild::Project').find((p) => String(p.Properties.Description).includes('cdk diff'))!;
    const buildSpec = JSON.parse(project.Properties.Source.BuildSpec);
    expect(buildSpec.env['exported-variables']).toEqual([PREVIEW_URL_VARIABLE]);
    const commands: string[] = buildSpec.phases.build.commands;
    const diff = commands.find((c) => c.startsWith('cdk diff'))!;
    expect(diff).toBe(`cdk diff --app . --no-version-reporting --exclusively ${stacksDeployedByPipeline(e.spec).join(' ')} --parameters "flask-app-production-platform:ImageUri=\${IMAGE_URI}"`);
    // The link is set before the diff runs, and names this build's log.
    expect(commands.findIndex((c) => c.startsWith(`export ${PREVIEW_URL_VARIABLE}=`))).toBeLessThan(commands.indexOf(diff));
    expect(commands.find((c) => c.startsWith(`export ${PREVIEW_URL_VARIABLE}=`))).toMatch(/codesuite\/codebuild\/projects\/\$\{CODEBUILD_BUILD_ID%%:\*\}\/build\/\$\{CODEBUILD_BUILD_ID\/:\/%3A\}\/log/);
  });

  test('the pipeline may publish the pending approval to the encrypted alarm topic', () => {
    const statements = all(e.delivery, 'AWS::IAM::Policy').flatMap((p) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[]);
    const actions = (s: { Action: string | string[] }) => [s.Action].flat();
    const publish = statements.find((s) => actions(s).includes('sns:Publish'))!;
    expect(readsOutputOf(publish.Resource, e.spec.names.stacks.observability, 'AlarmTopic')).toBe(true);
    expect(statements.some((s) => actions(s).includes('kms:GenerateDataKey*'))).toBe(true);
  });

  test('the source key is the one the generated deploy job uploads', () => {
    expect(releaseObjectKey(e.spec)).toBe(pipelineSourceKey(e.spec));
  });

  test('the source bucket is versioned, private, TLS-only, retained', () => {
    const buckets = all(e.delivery, 'AWS::S3::Bucket');
    expect(buckets).toHaveLength(3);
    for (const b of buckets) {
      expect(b.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
      expect(b.DeletionPolicy).toBe('RetainExceptOnCreate');
    }
  });

  test('the infrastructure step deploys every other stack from the cloud assembly, passing the image', () => {
    const project = all(e.delivery, 'AWS::CodeBuild::Project').find((p) => p.Properties.Name === 'flask-app-production-infra-deploy')!;
    expect(project.Properties.Environment).toMatchObject({ Image: 'aws/codebuild/amazonlinux-x86_64-standard:5.0', PrivilegedMode: false });
    // A first deploy creates OpenSearch (15–30 min) and waits for ECS: the project allows two hours.
    expect(project.Properties.TimeoutInMinutes).toBe(INFRA_DEPLOY_TIMEOUT.toMinutes());
    expect(INFRA_DEPLOY_TIMEOUT.toMinutes()).toBeGreaterThanOrEqual(90);
    const spec = JSON.parse(project.Properties.Source.BuildSpec);
    const commands: string[] = spec.phases.build.commands;
    const deploy = commands.find((c) => c.startsWith('cdk deploy'))!;
    expect(deploy).toContain('--app . --require-approval never');
    for (const stack of stacksDeployedByPipeline(e.spec)) expect(deploy).toContain(` ${stack}`);
    expect(deploy).not.toContain('flask-app-production-delivery');
    expect(deploy).toContain('--parameters "flask-app-production-platform:ImageUri=${IMAGE_URI}"');
    expect(spec.phases.install.commands[0]).toBe(`npm install --global --no-audit --no-fund aws-cdk@${cdkCliVersion()}`);
    expect(cdkCliVersion()).toMatch(/^2\.\d+\.\d+$/);
  });

  test('the GitHub deploy role may upload under the release prefix and start/follow this pipeline only', () => {
    const [policy] = Object.entries(e.delivery.findResources('AWS::IAM::Policy'))
      .filter(([id]) => id.startsWith('DeployRolePipelineAccess'))
      .map(([, p]) => p as { Properties: Record<string, any> });
    expect(JSON.stringify(policy.Properties.Roles)).toMatch(/flask-app-production-access/);
    const statements = policy.Properties.PolicyDocument.Statement;
    expect(statements).toHaveLength(2);
    const upload = statements.find((s: { Sid: string }) => s.Sid === 'UploadRelease');
    expect(upload).toMatchObject({ Effect: 'Allow', Action: 's3:PutObject' });
    expect(upload.Resource).toEqual({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^SourceBucket/), 'Arn'] }, '/releases/flask-app/production/*']] });
    const pipelineAccess = statements.find((s: { Sid: string }) => s.Sid === 'StartAndFollowPipeline');
    expect([...pipelineAccess.Action].sort()).toEqual([...DEPLOY_ROLE_PIPELINE_ACTIONS].sort());
    expect(JSON.stringify(pipelineAccess.Resource)).toMatch(/codepipeline:eu-west-1:.*:.*Pipeline/);
    expect(JSON.stringify(pipelineAccess.Resource)).not.toContain('*');
  });

  test('outputs for the GitHub workflow and the docs', () => {
    const outputs = e.delivery.toJSON().Outputs;
    for (const id of ['PipelineName', 'PipelineArn', 'SourceBucketName', 'SourceObjectKey']) expect(outputs[id].Export.Name).toBe(`flask-app-production-delivery-${id}`);
    expect(outputs.SourceObjectKey.Value).toBe('releases/flask-app/production/cloud-assembly.zip');
  });
});

describe('delivery stack variants', () => {
  test('an unprotected environment has no approval stage', () => {
    const e = estate({ protectedEnvironment: false });
    expect(stagesOf(e).map((s) => s.Name)).toEqual(['Source', 'DeployInfrastructure']);
    expect(all(e.delivery, 'AWS::CodeBuild::Project').map((p) => p.Properties.Description)).not.toContainEqual(expect.stringContaining('cdk diff'));
  });

  test('EKS: the service step applies the manifest with kubectl through its own role and an EKS access entry', () => {
    const e = estate({ platform: 'eks' }, EKS_NETWORK);
    const stages = stagesOf(e);
    expect(stages[stages.length - 1].Actions.map((a) => a.ActionTypeId.Provider)).toEqual(['CodeBuild']);
    const entry = only(e.delivery, 'AWS::EKS::AccessEntry');
    expect(entry.Properties.AccessPolicies).toHaveLength(1);
    expect(entry.Properties.AccessPolicies[0].AccessScope).toEqual({ Type: 'cluster' });
    expect(JSON.stringify(entry.Properties.AccessPolicies[0].PolicyArn)).toContain(':eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy');
    const project = all(e.delivery, 'AWS::CodeBuild::Project').find((p) => p.Properties.Name === undefined)!;
    const commands: string[] = JSON.parse(project.Properties.Source.BuildSpec).phases.build.commands;
    expect(commands.join('\n')).toMatch(/aws eks update-kubeconfig --name "flask-app-production"[\s\S]*kubectl apply -f -[\s\S]*kubectl rollout status "deployment\/flask-app-production"/);
    const infra = all(e.delivery, 'AWS::CodeBuild::Project').find((p) => p.Properties.Name === 'flask-app-production-infra-deploy')!;
    expect(infra.Properties.Source.BuildSpec).not.toContain('--parameters');
  });

  test('EKS with Aurora: the pods learn the database secret ARN through the manifest', () => {
    const e = estate({ platform: 'eks', database: 'aurora-postgresql' }, EKS_NETWORK);
    const action = stagesOf(e).find((s) => s.Name === 'DeployService')!.Actions[0];
    const manifest = JSON.stringify(action.Configuration!.EnvironmentVariables);
    expect(manifest).toMatch(/DB_SECRET_ARN/);
    expect(manifest).toMatch(/DB_HOST/);
  });
});
