/**
 * The workflows and the stacks they drive agree, both derived from the same
 * spec, stage by stage (the default two stages, built into one assembly as
 * `cdk synth` builds them): each stage's deploy job uploads the object its
 * stage's pipeline source action reads and passes exactly that pipeline's
 * variables; the OIDC subjects the jobs present are ones the stage's roles
 * trust, and not the other stage's.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { PIPELINE_PATH, ROLLBACK_PATH, TWO_STAGES, synthWorkflows } from './synth';
import { ConditionBlock, conditionsAllow } from '../../../src/infra/access';
import { ServiceStacks, buildEstate } from '../../../src/infra/app';
import { ServiceSpec, hostTransferBucketName, normaliseEstate } from '../../../src/spec';
import { seedOptions } from '../../spec/fixtures';

const estate = normaliseEstate({ ...seedOptions(), ...TWO_STAGES });
const { pipeline, rollback } = synthWorkflows(undefined, undefined, TWO_STAGES);
const built = buildEstate(new App(), estate);
const stages: { name: string; spec: ServiceSpec; stacks: ServiceStacks }[] = estate.stages.map((spec, i) => ({
  name: spec.stage.name,
  spec,
  stacks: built[i],
}));
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

describe.each(stages)('stage $name: pipeline.yml and the stage\'s delivery stack', ({ name, stacks }) => {
  const codePipeline = resources(stacks.delivery).find((r) => r.Type === 'AWS::CodePipeline::Pipeline')!.Properties as unknown as PipelineProperties;
  const deployStep = pipeline.jobs[`deploy-${name}`].steps.find((s) => s.id === 'deploy')!;

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

describe.each(stages)('stage $name: pipeline.yml and the role trust', ({ name, spec, stacks }) => {
  const access = Template.fromStack(stacks.access);
  const other = stages.find((s) => s.name !== name)!;
  const owner = name === estate.imageRepository.ownerStage;
  const roleIn = (template: Template, output: string) => {
    const ref = template.findOutputs(output)[output].Value as { 'Fn::GetAtt': [string, string] };
    return template.findResources('AWS::IAM::Role')[ref['Fn::GetAtt'][0]] as { Properties: { AssumeRolePolicyDocument: { Statement: { Condition: ConditionBlock }[] } } };
  };
  const roleOf = (output: string) => roleIn(access, output);
  const admitsIn = (template: Template, output: string, sub: string) =>
    roleIn(template, output).Properties.AssumeRolePolicyDocument.Statement.some((st) =>
      conditionsAllow(st.Condition, { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com', 'token.actions.githubusercontent.com:sub': sub }));
  const admits = (output: string, sub: string) => admitsIn(access, output, sub);
  const repo = `${spec.github.owner}/${spec.github.repo}`;
  const branches = (pipeline.on.push as { branches: string[] }).branches;
  // The subject GitHub issues under the template repo, context, job_workflow_ref for a job of this workflow file.
  const subject = (context: string, branch: string, file = PIPELINE_PATH) => `repo:${repo}:${context}:job_workflow_ref:${repo}/${file}@refs/heads/${branch}`;
  const roleVariable = (job: string) => /vars\.([A-Z0-9_]+)/.exec(String(pipeline.jobs[job].steps.find((st) => st.id === 'aws-credentials')!.with!['role-to-assume']))![1];
  const deploy = pipeline.jobs[`deploy-${name}`];
  const hostsJob = pipeline.jobs[`configure-hosts-${name}`];

  if (owner) {
    test('the image job assumes the image-push role of the repository\'s stage, which admits its subject on every pushed branch', () => {
      expect(pipeline.jobs.image.environment).toBeUndefined();
      expect(roleVariable('image')).toBe(spec.pipeline.imagePushRoleVariable);
      for (const branch of branches) expect(admits('ImagePushRoleArn', subject(`ref:refs/heads/${branch}`, branch))).toBe(true);
    });
  }

  test('the deploy job (in the stage\'s environment) assumes the stage\'s deploy role, which admits its subject and not the image job\'s nor the other stage\'s', () => {
    expect(roleVariable(`deploy-${name}`)).toBe(spec.pipeline.deployRoleVariable);
    expect(deploy.environment!.name).toBe(name);
    for (const branch of branches) {
      expect(admits('DeployRoleArn', subject(`environment:${name}`, branch))).toBe(true);
      expect(admits('DeployRoleArn', subject(`ref:refs/heads/${branch}`, branch))).toBe(false);
      expect(admitsIn(Template.fromStack(other.stacks.access), 'DeployRoleArn', subject(`environment:${name}`, branch))).toBe(false);
    }
  });

  // rollback.yml's jobs carry its own job_workflow_ref; the stage's deploy role trusts it too.
  test('the rollback deploy job (same environment, rollback.yml) is admitted by the stage\'s deploy role', () => {
    expect(rollback!.jobs[`deploy-${name}`].environment!.name).toBe(name);
    for (const branch of branches) expect(admits('DeployRoleArn', subject(`environment:${name}`, branch, ROLLBACK_PATH))).toBe(true);
  });

  test('the rollback configure-hosts job (same environment, rollback.yml) is admitted by the stage\'s hosts role', () => {
    expect(rollback!.jobs[`configure-hosts-${name}`].environment!.name).toBe(name);
    for (const branch of branches) expect(admits('HostsConfigRoleArn', subject(`environment:${name}`, branch, ROLLBACK_PATH))).toBe(true);
  });

  test('the configure-hosts job (in the environment) assumes the hosts-configuration role, which admits its subject and not the image job\'s', () => {
    const job = hostsJob;
    expect(roleVariable(`configure-hosts-${name}`)).toBe(spec.pipeline.hostsRoleVariable);
    // The output the README tells the team to copy into that variable names the same variable.
    expect(access.findOutputs('HostsConfigRoleArn').HostsConfigRoleArn.Description).toContain(spec.pipeline.hostsRoleVariable);
    for (const branch of branches) {
      expect(admits('HostsConfigRoleArn', subject(`environment:${job.environment!.name}`, branch))).toBe(true);
      expect(admits('HostsConfigRoleArn', subject(`ref:refs/heads/${branch}`, branch))).toBe(false);
    }
  });

  test('the hosts credentials last as long as the role allows, and outlast the configure-hosts job', () => {
    const job = hostsJob;
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
    const transferBucket = text(bucket.Properties.BucketName);
    expect(transferBucket).toBe(hostTransferBucketName(spec.names, '<AccountId>', spec.region));
    const roleId = (access.findOutputs('HostsConfigRoleArn').HostsConfigRoleArn.Value as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const policy = Object.values(access.findResources('AWS::IAM::Policy')).find((p) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))!;
    const s3Resources = (policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[])
      .filter((st) => [st.Action].flat().some((a) => a.startsWith('s3:')))
      .map((st) => text(st.Resource));
    expect(s3Resources.sort()).toEqual([`arn:<Partition>:s3:::${transferBucket}`, `arn:<Partition>:s3:::${transferBucket}/*`]);
  });

  test('the deploy credentials last as long as the role allows, and outlast the deploy job', () => {
    const asked = Number(deploy.steps.find((st) => st.id === 'aws-credentials')!.with!['role-duration-seconds']);
    const max = (roleOf('DeployRoleArn').Properties as unknown as { MaxSessionDuration: number }).MaxSessionDuration;
    expect(asked).toBe(max);
    expect(asked).toBeGreaterThanOrEqual(deploy['timeout-minutes']! * 60);
    const bridge = deploy.steps.find((st) => st.id === 'deploy')!;
    expect(deploy['timeout-minutes']!).toBeGreaterThan(Number(bridge.with!['timeout-minutes']));
  });
});
