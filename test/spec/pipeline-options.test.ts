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
