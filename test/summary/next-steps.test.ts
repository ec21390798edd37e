import { normaliseEstate } from '../../src/spec';
import type { SynthesizedStack } from '../../src/summary/assembly';
import { renderNextSteps, renderStageNextSteps } from '../../src/summary/render';
import { seedOptions } from '../spec/fixtures';

const STAGING_NETWORK = { cidr: '172.20.0.0/16', publicSubnets: ['172.20.0.0/24', '172.20.1.0/24'], privateSubnets: ['172.20.2.0/24', '172.20.3.0/24'] };

describe('the summary printed by `npx projen main`', () => {
  const estate = normaliseEstate(seedOptions());
  const next = renderNextSteps(estate);
  const stage = renderStageNextSteps(estate.stages[0]);

  test('does not tell the user to run plain `npx projen` right after `npx projen main` ran it', () => {
    expect(next).not.toContain("run 'npx projen'");
    expect(next).toContain("edit its options in .projenrc.ts (serviceName 'flask-app', stages production) and run 'npx projen main' again");
  });

  test("lists every variable the pipeline reads, where to set it and the output to copy it from: the stage's in its Environment", () => {
    expect(next).toContain('Set the repository variable AWS_IMAGE_PUSH_ROLE_ARN (ImagePushRoleArn output of flask-app-production-access)');
    expect(stage).toContain("create the GitHub Environment 'production' and set its Environment variables");
    for (const [variable, output] of [['AWS_DEPLOY_ROLE_ARN', 'DeployRoleArn'], ['AWS_HOSTS_ROLE_ARN', 'HostsConfigRoleArn'], ['PIPELINE_SOURCE_BUCKET', 'SourceBucketName']]) {
      expect(stage).toContain(`${variable} (${output} output`);
    }
  });

  test('without hosts there is no configure-hosts job, so no hosts role variable to set', () => {
    expect(renderStageNextSteps(normaliseEstate({ ...seedOptions(), hosts: { count: 0 } }).stages[0])).not.toContain('AWS_HOSTS_ROLE_ARN');
  });
});

describe('next steps with several stages', () => {
  const CERTIFICATE = 'arn:aws:acm:eu-west-1:123456789012:certificate/abc';
  const estate = normaliseEstate({
    ...seedOptions(),
    stages: [{ name: 'staging', network: STAGING_NETWORK }, { name: 'production', protected: true, container: { certificateArn: CERTIFICATE } }],
  });
  const stacks: SynthesizedStack[] = [
    { name: 'flask-app-staging-access', resourceCount: 5, outputs: ['DeployRoleArn', 'ImagePushRoleArn', 'HostsConfigRoleArn'], templateFile: 'a.json' },
    { name: 'flask-app-production-access', resourceCount: 5, outputs: ['DeployRoleArn', 'HostsConfigRoleArn'], templateFile: 'b.json' },
  ];

  test('each stage: its own first deploy and its own GitHub Environment, reviewers when protected', () => {
    const staging = renderStageNextSteps(estate.stages[0], stacks);
    const production = renderStageNextSteps(estate.stages[1], stacks);
    expect(staging).toContain("'npx cdk deploy flask-app-staging-access flask-app-staging-delivery'");
    expect(staging).toContain("create the GitHub Environment 'staging' and set its Environment variables AWS_DEPLOY_ROLE_ARN (DeployRoleArn output of flask-app-staging-access)");
    expect(staging).not.toContain('required reviewers');
    expect(production).toContain("create the GitHub Environment 'production' with required reviewers");
    expect(production).toContain('AWS_DEPLOY_ROLE_ARN (DeployRoleArn output of flask-app-production-access)');
    expect(production).toContain('PIPELINE_SOURCE_BUCKET (SourceBucketName output of flask-app-production-delivery)');
  });

  test('the image-push role is one repository variable, said once, from the stack that has the output', () => {
    const next = renderNextSteps(estate, stacks);
    expect(next.match(/AWS_IMAGE_PUSH_ROLE_ARN/g)).toHaveLength(1);
    expect(next).toContain('repository variable AWS_IMAGE_PUSH_ROLE_ARN (ImagePushRoleArn output of flask-app-staging-access)');
    expect(next).toContain('staging → production');
  });
});
