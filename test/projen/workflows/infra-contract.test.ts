/**
 * The workflows and the stacks they drive agree, both derived from the same
 * spec: the deploy job uploads the object the pipeline's source action reads
 * and passes exactly the pipeline's variables; the OIDC subjects the image
 * and deploy jobs present are ones the deploy role trusts.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { synthWorkflows } from './synth';
import { buildApp } from '../../../src/infra/app';
import { normaliseServiceOptions } from '../../../src/spec';
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
interface TrustStatement {
  readonly Condition?: Record<string, Record<string, unknown>>;
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

describe('pipeline.yml and the deploy role trust', () => {
  const roles = resources(stacks.access).filter((r) => r.Type === 'AWS::IAM::Role' && r.Properties.RoleName === spec.names.deployRole);
  const statements = (roles[0]?.Properties.AssumeRolePolicyDocument as { Statement: TrustStatement[] } | undefined)?.Statement ?? [];
  const trusted = statements.flatMap((s) => {
    const sub = s.Condition?.StringEquals?.['token.actions.githubusercontent.com:sub'];
    return sub === undefined ? [] : ([] as string[]).concat(sub as string | string[]);
  });
  const repo = `repo:${spec.github.owner}/${spec.github.repo}`;

  test('the access stack has exactly one deploy role, with subject conditions', () => {
    expect(roles).toHaveLength(1);
    expect(trusted.length).toBeGreaterThan(0);
  });

  test('the image job (no environment, deploy branches only) presents a ref subject the role trusts', () => {
    expect(pipeline.jobs.image.environment).toBeUndefined();
    for (const branch of spec.github.branches) expect(trusted).toContain(`${repo}:ref:refs/heads/${branch}`);
  });

  test('the deploy job (in the environment) presents the environment subject the role trusts', () => {
    expect(trusted).toContain(`${repo}:environment:${pipeline.jobs.deploy.environment!.name}`);
  });
});
