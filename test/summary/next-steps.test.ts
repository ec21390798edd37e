import { normaliseServiceOptions } from '../../src/spec';
import { renderNextSteps } from '../../src/summary/render';
import { seedOptions } from '../spec/fixtures';

describe('the summary printed by `npx projen main`', () => {
  const next = renderNextSteps(normaliseServiceOptions(seedOptions()));

  test('does not tell the user to run plain `npx projen` right after `npx projen main` ran it', () => {
    expect(next).not.toContain("run 'npx projen'");
    expect(next).toContain("edit its options in .projenrc.ts (serviceName 'flask-app', region eu-west-1) and run 'npx projen main' again");
  });

  test('lists every repository variable the pipeline reads, with the output to copy it from', () => {
    for (const [variable, output] of [['AWS_IMAGE_PUSH_ROLE_ARN', 'ImagePushRoleArn'], ['AWS_DEPLOY_ROLE_ARN', 'DeployRoleArn'], ['AWS_HOSTS_ROLE_ARN', 'HostsConfigRoleArn'], ['PIPELINE_SOURCE_BUCKET', 'SourceBucketName']]) {
      expect(next).toContain(`${variable} (${output} output`);
    }
  });

  test('without hosts there is no configure-hosts job, so no hosts role variable to set', () => {
    expect(renderNextSteps(normaliseServiceOptions({ ...seedOptions(), hosts: { count: 0 } }))).not.toContain('AWS_HOSTS_ROLE_ARN');
  });
});
