import { seedOptions } from './fixtures';
import { SpecValidationError, normaliseServiceOptions } from '../../src/spec';

function withPipeline(pipeline: Record<string, unknown>): unknown {
  const seed = seedOptions();
  // Docker Hub pulls need internet egress; the spec rejects them with VPC endpoints only.
  const network = pipeline.registry === 'dockerhub' ? { ...seed.network, egress: 'nat-gateway' } : seed.network;
  return { ...seed, network, pipeline };
}

function problemsOf(input: unknown): string {
  try {
    normaliseServiceOptions(input);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected the options to be rejected');
}

describe('pipeline.sourceBucketVariable', () => {
  it('defaults to PIPELINE_SOURCE_BUCKET', () => {
    expect(normaliseServiceOptions(seedOptions()).pipeline.sourceBucketVariable).toBe('PIPELINE_SOURCE_BUCKET');
  });

  it('takes a GitHub variable name', () => {
    expect(normaliseServiceOptions(withPipeline({ sourceBucketVariable: 'RELEASE_BUCKET' })).pipeline.sourceBucketVariable).toBe('RELEASE_BUCKET');
  });

  it('rejects a name GitHub would not accept, naming the option and the value', () => {
    const message = problemsOf(withPipeline({ sourceBucketVariable: 'release-bucket' }));
    expect(message).toContain('service.pipeline.sourceBucketVariable');
    expect(message).toContain("'release-bucket'");
    expect(message).toContain('UPPER_SNAKE_CASE');
  });
});

describe('pipeline.imageScanThreshold with the registry', () => {
  it('defaults to HIGH for ECR', () => {
    expect(normaliseServiceOptions(seedOptions()).pipeline.imageScanThreshold).toBe('HIGH');
  });

  it('defaults to NONE for Docker Hub, whose images the image action does not scan', () => {
    const spec = normaliseServiceOptions(withPipeline({ registry: 'dockerhub', dockerHubRepository: 'slipway/flask-app' }));
    expect(spec.pipeline.imageScanThreshold).toBe('NONE');
  });

  it('rejects a threshold with Docker Hub instead of passing a gate that cannot run', () => {
    const input = withPipeline({ registry: 'dockerhub', dockerHubRepository: 'slipway/flask-app', imageScanThreshold: 'CRITICAL' });
    expect(() => normaliseServiceOptions(input)).toThrow(SpecValidationError);
    const message = problemsOf(input);
    expect(message).toContain('service.pipeline.imageScanThreshold');
    expect(message).toContain("'CRITICAL'");
    expect(message).toContain("imageScanThreshold: 'NONE'");
  });
});

describe('pipeline.registry with the network egress', () => {
  it('rejects Docker Hub when the private subnets have no route to the internet, saying how to fix it', () => {
    const message = problemsOf({ ...seedOptions(), pipeline: { registry: 'dockerhub', dockerHubRepository: 'slipway/flask-app' } });
    expect(message).toContain("service.pipeline.registry: 'dockerhub' needs the tasks to reach the internet, but network.egress is 'none'");
    expect(message).toContain("set network.egress: 'nat-gateway'");
  });
});

describe('pipeline.deployWaitMinutes and the deploy session derived from it', () => {
  it('defaults to a 60-minute wait: a 75-minute job inside a 2-hour session', () => {
    const { pipeline } = normaliseServiceOptions(seedOptions());
    expect([pipeline.deployWaitMinutes, pipeline.deployJobTimeoutMinutes, pipeline.deploySessionSeconds]).toEqual([60, 75, 7200]);
  });

  it.each([[10, 3600], [45, 3600], [46, 7200], [600, 39600]])('a %i-minute wait gets a %i-second session, never shorter than the job', (wait, seconds) => {
    const { pipeline } = normaliseServiceOptions(withPipeline({ deployWaitMinutes: wait }));
    expect(pipeline.deploySessionSeconds).toBe(seconds);
    expect(pipeline.deploySessionSeconds).toBeGreaterThanOrEqual(pipeline.deployJobTimeoutMinutes * 60);
    expect(pipeline.deploySessionSeconds).toBeLessThanOrEqual(43200);
  });

  it('rejects a wait IAM could not cover, naming the range', () => {
    expect(problemsOf(withPipeline({ deployWaitMinutes: 800 }))).toContain('service.pipeline.deployWaitMinutes: 800 is out of range; use a whole number from 10 to 600');
  });
});

describe('pipeline.imagePushRoleVariable', () => {
  it('defaults to AWS_IMAGE_PUSH_ROLE_ARN, apart from the deploy role variable', () => {
    const { pipeline } = normaliseServiceOptions(seedOptions());
    expect([pipeline.imagePushRoleVariable, pipeline.deployRoleVariable]).toEqual(['AWS_IMAGE_PUSH_ROLE_ARN', 'AWS_DEPLOY_ROLE_ARN']);
  });

  it('cannot share the deploy role variable: the two roles have different ARNs', () => {
    expect(problemsOf(withPipeline({ imagePushRoleVariable: 'AWS_DEPLOY_ROLE_ARN' }))).toContain(
      "service.pipeline.imagePushRoleVariable: is 'AWS_DEPLOY_ROLE_ARN', the same variable as deployRoleVariable",
    );
  });
});

describe('pipeline.hostsRoleVariable', () => {
  it('defaults to AWS_HOSTS_ROLE_ARN and takes another UPPER_SNAKE_CASE name', () => {
    expect(normaliseServiceOptions(seedOptions()).pipeline.hostsRoleVariable).toBe('AWS_HOSTS_ROLE_ARN');
    expect(normaliseServiceOptions(withPipeline({ hostsRoleVariable: 'HOSTS_ROLE_ARN' })).pipeline.hostsRoleVariable).toBe('HOSTS_ROLE_ARN');
  });

  it('cannot share another role variable, and must be a variable name', () => {
    expect(problemsOf(withPipeline({ hostsRoleVariable: 'AWS_DEPLOY_ROLE_ARN' }))).toContain(
      "service.pipeline.hostsRoleVariable: is 'AWS_DEPLOY_ROLE_ARN', the same variable as deployRoleVariable",
    );
    expect(problemsOf(withPipeline({ hostsRoleVariable: 'AWS_IMAGE_PUSH_ROLE_ARN' }))).toContain(
      "service.pipeline.hostsRoleVariable: is 'AWS_IMAGE_PUSH_ROLE_ARN', the same variable as imagePushRoleVariable",
    );
    expect(problemsOf(withPipeline({ hostsRoleVariable: 'hosts-role' }))).toMatch(/service\.pipeline\.hostsRoleVariable: .*UPPER_SNAKE_CASE/);
  });
});

describe('pipeline.nodeVersion', () => {
  it("defaults to Node 22 LTS and takes '24'", () => {
    expect(normaliseServiceOptions(seedOptions()).pipeline.nodeVersion).toBe('22');
    expect(normaliseServiceOptions(withPipeline({ nodeVersion: '24' })).pipeline.nodeVersion).toBe('24');
  });

  it('rejects Node 20 (end of life) with the supported majors', () => {
    expect(problemsOf(withPipeline({ nodeVersion: '20' }))).toMatch(/service\.pipeline\.nodeVersion: '20' is not valid: expected a supported Node\.js LTS major: '22' or '24'/);
  });
});

describe('pipeline.codeScanning, appTestCommand, appTestPackages', () => {
  it('default to no code-scanning upload and the sample app\'s pytest with its Debian packages', () => {
    const { pipeline } = normaliseServiceOptions(seedOptions());
    expect(pipeline.codeScanning).toBe(false);
    expect(pipeline.appTestCommand).toBe('python3 -m pytest -q -p no:cacheprovider');
    expect(pipeline.appTestPackages).toEqual(['python3-flask', 'python3-pytest']);
  });

  it('take another app\'s test command and no packages', () => {
    const { pipeline } = normaliseServiceOptions(withPipeline({ codeScanning: true, appTestCommand: 'go test ./...', appTestPackages: [] }));
    expect([pipeline.codeScanning, pipeline.appTestCommand, pipeline.appTestPackages]).toEqual([true, 'go test ./...', []]);
  });

  it('reject a package name apt would not take', () => {
    expect(problemsOf(withPipeline({ appTestPackages: ['Python Flask'] }))).toContain('service.pipeline.appTestPackages[0]');
  });
});
