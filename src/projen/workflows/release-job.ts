/**
 * The release job: once the build, the scans and the image have all passed, it writes the release manifest
 * (the image by digest, the commit, the assembly's SHA-256, the stages) and keeps it beside the assembly for
 * RELEASE_RETENTION_DAYS. It is the one place the image job's outputs are read: every stage deploys what the
 * manifest says, so the stages cannot be handed different values, and rollback.yml reads the same file.
 */
import { github } from 'projen';
import { IMAGE_DIGEST_OUTPUT, IMAGE_URI_OUTPUT } from './image-job';
import { writeReleaseManifestScript } from './release-manifest';
import { ARTIFACTS, RUNNER, deployBranchCondition, downloadArtifactStep, uploadArtifactStep } from './steps';
import type { EstateSpec } from '../../spec';

type Job = github.workflows.Job;

export const RELEASE_JOB_ID = 'release';
export const RELEASE_STEP_ID = 'release-manifest';
export const RELEASE_WORK_STEPS = { first: RELEASE_STEP_ID, last: `upload-${ARTIFACTS.releaseManifest.name}` } as const;
export const RELEASE_TIMEOUT_MINUTES = 10;

export function releaseJob(estate: EstateSpec, options: { needs: string[] }): Job {
  return {
    name: 'release',
    needs: options.needs,
    if: deployBranchCondition(estate),
    runsOn: RUNNER,
    permissions: { contents: github.workflows.JobPermission.READ },
    timeoutMinutes: RELEASE_TIMEOUT_MINUTES,
    steps: [
      downloadArtifactStep(ARTIFACTS.cloudAssembly),
      {
        id: RELEASE_STEP_ID,
        name: 'Write the release manifest (image digest, commit, assembly digest, stages)',
        env: {
          SERVICE: estate.serviceName,
          IMAGE_TAG_URI: `\${{ needs.image.outputs.${IMAGE_URI_OUTPUT} }}`,
          IMAGE_DIGEST: `\${{ needs.image.outputs.${IMAGE_DIGEST_OUTPUT} }}`,
          COMMIT_SHA: '${{ github.sha }}',
          REF: '${{ github.ref }}',
          RUN_ID: '${{ github.run_id }}',
          RUN_ATTEMPT: '${{ github.run_attempt }}',
          STAGES: estate.stages.map((s) => s.stage.name).join(' '),
        },
        run: writeReleaseManifestScript(),
      },
      uploadArtifactStep(ARTIFACTS.releaseManifest),
    ],
  };
}
