/**
 * The workflows and the stacks they drive agree, both derived from the same
 * spec: the deploy job uploads the object the pipeline's source action reads
 * and passes exactly the pipeline's variables; the OIDC subjects the image
 * and deploy jobs present are ones the deploy role trusts.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { PIPELINE_PATH, synthWorkflows } from './synth';
import { ConditionBlock, conditionsAllow } from '../../../src/infra/access';
import { buildApp } from '../../../src/infra/app';
import { hostTransferBucketName, normaliseServiceOptions } from '../../../src/spec';
import { seedOptions } from '../../spec/fixtures';

const spec = normaliseServiceOptions(seedOptions());
const { pipeline } = synthWorkflows();
const stacks = buildApp(new App(), spec);
interface CfnResource {
  readonly Type: string;
  readonly Properties: Record<string, unknown>;
}
interface PipelineProperties {
  readonly Name: string;
  readonly Variables?: { Name: string }[];
  readonly Stages: { Name: string; Actions: { ActionTypeId: { Category: string; Provider: string }; Configuration: Record<string, unknown> }[] }[];
}

function resources(stack: Stack): CfnResource[] {
  return Object.values((Template.fromStack(stack).toJSON() as { Resources: Record<string, CfnResource> }).Resources);
}

const codePipeline = resources(stacks.delivery).find((r) => r.Type === 'AWS::CodePipeline::Pipeline')!.Properties as unknown as PipelineProperties;
const deployStep = pipeline.jobs.deploy.steps.find((s) => s.id === 'deploy')!;

describe('pipeline.yml and the delivery stack', () => {
  test('the deploy job starts the pipeline the delivery stack creates', () => {
    expect(deployStep.with!['pipeline-name']).toBe(codePipeline.Name);
  });

  test('the deploy job uploads the object the S3 source action reads', () => {
    const source = codePipeline.Stages[0].Actions.find((a) => a.ActionTypeId.Provider === 'S3')!;
    expect(deployStep.with!['source-key']).toBe(source.Configuration.S3ObjectKey);
  });

  test('the deploy job passes exactly the variables the pipeline declares', () => {
    const passed = String(deployStep.with!.variables).split('\n').map((line) => line.split('=')[0]).sort();
    expect(passed).toEqual((codePipeline.Variables ?? []).map((v) => v.Name).sort());
  });
});

describe('pipeline.yml and the role trust', () => {
  const access = Template.fromStack(stacks.access);
  const roleOf = (output: string) => {
    const ref = access.findOutputs(output)[output].Value as { 'Fn::GetAtt': [string, string] };
    return access.findResources('AWS::IAM::Role')[ref['Fn::GetAtt'][0]] as { Properties: { AssumeRolePolicyDocument: { Statement: { Condition: ConditionBlock }[] } } };
  };
  const admits = (output: string, sub: string) =>
    roleOf(output).Properties.AssumeRolePolicyDocument.Statement.some((st) =>
      conditionsAllow(st.Condition, { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com', 'token.actions.githubusercontent.com:sub': sub }));
  const repo = `${spec.github.owner}/${spec.github.repo}`;
  const branches = (pipeline.on.push as { branches: string[] }).branches;
  // The subject GitHub issues under the template repo, context, job_workflow_ref for a job of this workflow file.
  const subject = (context: string, branch: string) => `repo:${repo}:${context}:job_workflow_ref:${repo}/${PIPELINE_PATH}@refs/heads/${branch}`;
  const roleVariable = (job: string) => /vars\.([A-Z0-9_]+)/.exec(String(pipeline.jobs[job].steps.find((st) => st.id === 'aws-credentials')!.with!['role-to-assume']))![1];

  test('the image job assumes the image-push role, which admits its subject on every pushed branch', () => {
    expect(pipeline.jobs.image.environment).toBeUndefined();
    expect(roleVariable('image')).toBe(spec.pipeline.imagePushRoleVariable);
    for (const branch of branches) expect(admits('ImagePushRoleArn', subject(`ref:refs/heads/${branch}`, branch))).toBe(true);
  });

  test('the deploy job (in the environment) assumes the deploy role, which admits its subject and not the image job\'s', () => {
    expect(roleVariable('deploy')).toBe(spec.pipeline.deployRoleVariable);
    for (const branch of branches) {
      expect(admits('DeployRoleArn', subject(`environment:${pipeline.jobs.deploy.environment!.name}`, branch))).toBe(true);
      expect(admits('DeployRoleArn', subject(`ref:refs/heads/${branch}`, branch))).toBe(false);
    }
  });

  test('the configure-hosts job (in the environment) assumes the hosts-configuration role, which admits its subject and not the image job\'s', () => {
    const job = pipeline.jobs['configure-hosts'];
    expect(roleVariable('configure-hosts')).toBe(spec.pipeline.hostsRoleVariable);
    // The output the README tells the team to copy into that variable names the same variable.
    expect(access.findOutputs('HostsConfigRoleArn').HostsConfigRoleArn.Description).toContain(spec.pipeline.hostsRoleVariable);
    for (const branch of branches) {
      expect(admits('HostsConfigRoleArn', subject(`environment:${job.environment!.name}`, branch))).toBe(true);
      expect(admits('HostsConfigRoleArn', subject(`ref:refs/heads/${branch}`, branch))).toBe(false);
    }
  });

  test('the hosts credentials last as long as the role allows, and outlast the configure-hosts job', () => {
    const job = pipeline.jobs['configure-hosts'];
    const asked = Number(job.steps.find((st) => st.id === 'aws-credentials')!.with!['role-duration-seconds']);
    expect(asked).toBe((roleOf('HostsConfigRoleArn').Properties as unknown as { MaxSessionDuration: number }).MaxSessionDuration);
    expect(asked).toBeGreaterThan(job['timeout-minutes']! * 60);
  });

  test('the transfer bucket the hosts role may use is the one the hosts stack creates and the SSM inventory names', () => {
    const bucketName = Template.fromStack(stacks.hosts).findOutputs('HostTransferBucketName').HostTransferBucketName.Value as { Ref: string };
    const bucket = Template.fromStack(stacks.hosts).findResources('AWS::S3::Bucket')[bucketName.Ref] as { Properties: { BucketName: unknown } };
    // Fn::Join joined, pseudo-parameters as <AccountId>: both stacks name the bucket from AWS::AccountId, not a synth-time account.
    const text = (value: unknown): string => {
      if (typeof value === 'string') return value;
      const v = value as { 'Ref'?: string; 'Fn::Join'?: [string, unknown[]] };
      if (v.Ref?.startsWith('AWS::')) return `<${v.Ref.slice(5)}>`;
      if (v['Fn::Join']) return v['Fn::Join'][1].map(text).join(v['Fn::Join'][0]);
      throw new Error(`cannot read ${JSON.stringify(value)} as text`);
    };
    const name = text(bucket.Properties.BucketName);
    expect(name).toBe(hostTransferBucketName(spec.names, '<AccountId>', spec.region));
    const roleId = (access.findOutputs('HostsConfigRoleArn').HostsConfigRoleArn.Value as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const policy = Object.values(access.findResources('AWS::IAM::Policy')).find((p) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))!;
    const s3Resources = (policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[])
      .filter((st) => [st.Action].flat().some((a) => a.startsWith('s3:')))
      .map((st) => text(st.Resource));
    expect(s3Resources.sort()).toEqual([`arn:<Partition>:s3:::${name}`, `arn:<Partition>:s3:::${name}/*`]);
  });

  test('the deploy credentials last as long as the role allows, and outlast the deploy job', () => {
    const asked = Number(pipeline.jobs.deploy.steps.find((st) => st.id === 'aws-credentials')!.with!['role-duration-seconds']);
    const max = (roleOf('DeployRoleArn').Properties as unknown as { MaxSessionDuration: number }).MaxSessionDuration;
    expect(asked).toBe(max);
    expect(asked).toBeGreaterThanOrEqual(pipeline.jobs.deploy['timeout-minutes']! * 60);
    expect(pipeline.jobs.deploy['timeout-minutes']!).toBeGreaterThan(Number(deployStep.with!['timeout-minutes']));
  });
});
