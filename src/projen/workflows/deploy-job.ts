/**
 * The deploy job: hand the release to CodePipeline through our bridge action.
 * The cloud assembly is uploaded as the pipeline's S3 source object and the
 * execution is pinned to that object version; the image URI goes in as a
 * pipeline variable. The GitHub Environment gives approvals and the OIDC
 * subject the deploy role trusts.
 */
import { github } from 'projen';
import { IMAGE_URI_OUTPUT } from './image-job';
import { ARTIFACTS, RUNNER, awsCredentialsStep, checkoutStep, deployBranchCondition, downloadArtifactStep } from './steps';
import type { ServiceSpec } from '../../spec';

type Job = github.workflows.Job;

export const DEPLOY_STEP_ID = 'deploy';

export const DEPLOY_WORK_STEPS = { first: DEPLOY_STEP_ID, last: DEPLOY_STEP_ID } as const;

/** The S3 object the pipeline's source action watches: the delivery stack derives the same key from the spec. */
export function pipelineSourceKey(spec: ServiceSpec): string {
  return `${spec.names.pipelineSourceKeyPrefix}${ARTIFACTS.cloudAssembly.path}`;
}

export function deployJob(spec: ServiceSpec, options: { needs: string[] }): Job {
  return {
    name: 'deploy',
    needs: options.needs,
    if: deployBranchCondition(spec),
    runsOn: RUNNER,
    // deployments: write: the action records the deployment with its statuses following the execution.
    permissions: {
      contents: github.workflows.JobPermission.READ,
      idToken: github.workflows.JobPermission.WRITE,
      deployments: github.workflows.JobPermission.WRITE,
    },
    environment: { name: spec.environment, url: `\${{ steps.${DEPLOY_STEP_ID}.outputs.execution-url }}` },
    // Only deploys queue, one per environment in push order; builds, scans and images of newer pushes run meanwhile.
    concurrency: { 'group': `deploy-${spec.environment}`, 'cancel-in-progress': false },
    // The wait, the upload and the stop on timeout (spec.pipeline.deployJobTimeoutMinutes), inside the session.
    timeoutMinutes: spec.pipeline.deployJobTimeoutMinutes,
    steps: [
      checkoutStep(),
      downloadArtifactStep(ARTIFACTS.cloudAssembly),
      awsCredentialsStep(spec, 'deploy'),
      {
        id: DEPLOY_STEP_ID,
        name: `Start ${spec.names.pipeline} and follow it`,
        uses: './actions/codepipeline-deploy',
        with: {
          'pipeline-name': spec.names.pipeline,
          'source-file': ARTIFACTS.cloudAssembly.path,
          'source-bucket': `\${{ vars.${spec.pipeline.sourceBucketVariable} }}`,
          'source-key': pipelineSourceKey(spec),
          'variables': [`IMAGE_URI=\${{ needs.image.outputs.${IMAGE_URI_OUTPUT} }}`, 'COMMIT_SHA=${{ github.sha }}'].join('\n'),
          'timeout-minutes': spec.pipeline.deployWaitMinutes,
          'environment': spec.environment,
        },
      },
    ],
  };
}
