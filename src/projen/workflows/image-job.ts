/**
 * The image job: build the service image from spec.container.imageContext, push it once to the registry the
 * spec chose (with ECR, the estate's one repository, in the first stage's account and region), and gate on the
 * registry scan. Every stage deploys this push by its digest.
 */
import { github } from 'projen';
import { RUNNER, awsCredentialsStep, checkoutStep, deployBranchCondition, setupBuildxStep } from './steps';
import type { EstateSpec, ServiceSpec } from '../../spec';

type Job = github.workflows.Job;
type JobStep = github.workflows.JobStep;

export const IMAGE_TIMEOUT_MINUTES = 30;
export const IMAGE_STEP_ID = 'image';
/** The job outputs the release job reads: the tagged URI and the pushed digest. */
export const IMAGE_URI_OUTPUT = 'image-uri';
export const IMAGE_DIGEST_OUTPUT = 'image-digest';

export const IMAGE_WORK_STEPS = { first: IMAGE_STEP_ID, last: IMAGE_STEP_ID } as const;

/**
 * Build arguments the sample Dockerfile requires: the port it listens on, the
 * path its HEALTHCHECK calls and the service's name, so the image agrees with
 * the load balancer and the ECS task the infrastructure derives from the same spec.
 */
export function imageBuildArgs(spec: ServiceSpec): Record<string, string> {
  return { PORT: String(spec.container.port), HEALTH_CHECK_PATH: spec.container.healthCheckPath, SERVICE_NAME: spec.serviceName };
}

/** The stage whose account and region hold the image repository: its values build and push the one image. */
export function imageOwnerStage(estate: EstateSpec): ServiceSpec {
  const owner = estate.stages.find((s) => s.stage.name === estate.imageRepository.ownerStage);
  if (!owner) throw new Error(`the image repository's owner stage '${estate.imageRepository.ownerStage}' is not a stage of ${estate.serviceName}`);
  return owner;
}

export function imageJob(estate: EstateSpec, options: { needs: string[] }): Job {
  const spec = imageOwnerStage(estate);
  const repository = estate.imageRepository;
  const ecr = spec.pipeline.registry === 'ecr';
  const registryInputs: Record<string, string> = ecr
    ? { 'registry': 'ecr', 'repository': repository.name, 'scan-severity-threshold': spec.pipeline.imageScanThreshold }
    : {
      'registry': 'dockerhub',
      'repository': requireDockerHubRepository(spec),
      'registry-username': `\${{ secrets.${spec.pipeline.secrets.dockerHubUsername} }}`,
      'registry-password': `\${{ secrets.${spec.pipeline.secrets.dockerHubToken} }}`,
      // Docker Hub images are not scanned by the action; the spec only allows NONE here.
      'scan-severity-threshold': spec.pipeline.imageScanThreshold,
    };
  const buildArgs = Object.entries(imageBuildArgs(spec)).map(([k, v]) => `${k}=${v}`).join('\n');
  const steps: JobStep[] = [
    checkoutStep(),
    setupBuildxStep(),
    // The image-push role is a repository variable (no environment): one role, in the repository's account.
    ...(ecr ? [awsCredentialsStep(spec, 'image-push', repository.region)] : []),
    {
      id: IMAGE_STEP_ID,
      name: `Build and push the image (${spec.pipeline.registry})`,
      uses: './actions/ecr-image',
      with: {
        ...registryInputs,
        'context': spec.container.imageContext,
        'tags': '${{ github.sha }}',
        'build-args': buildArgs,
        // Layers cached in the Actions cache (overwritable), never as a tag in the IMMUTABLE repository.
        'cache': 'gha',
      },
    },
  ];
  return {
    name: 'image',
    needs: options.needs,
    // Only deploy branches push images: the image-push role trusts those refs alone.
    if: deployBranchCondition(spec),
    runsOn: RUNNER,
    permissions: ecr
      ? { contents: github.workflows.JobPermission.READ, idToken: github.workflows.JobPermission.WRITE }
      : { contents: github.workflows.JobPermission.READ },
    timeoutMinutes: IMAGE_TIMEOUT_MINUTES,
    outputs: {
      [IMAGE_URI_OUTPUT]: { stepId: IMAGE_STEP_ID, outputName: 'image-uri' },
      [IMAGE_DIGEST_OUTPUT]: { stepId: IMAGE_STEP_ID, outputName: 'digest' },
    },
    steps,
  };
}

function requireDockerHubRepository(spec: ServiceSpec): string {
  if (!spec.pipeline.dockerHubRepository) {
    throw new Error("pipeline.registry is 'dockerhub' but pipeline.dockerHubRepository is not set; add dockerHubRepository: 'namespace/name' in .projenrc.ts");
  }
  return spec.pipeline.dockerHubRepository;
}
