/**
 * A stage's deploy job: hand one release to the stage's CodePipeline through our bridge action. The cloud
 * assembly (every stage's stacks; the stage's pipeline deploys its own) is uploaded as the pipeline's S3 source
 * object and the execution is pinned to that object version; the image goes in by digest as a pipeline
 * variable. Both come from the release: the build's assembly artifact and the release manifest, of this run
 * (pipeline.yml) or of an earlier one (rollback.yml). The stage's GitHub Environment gives the approvals, the
 * variables (role, bucket) and the OIDC subject the stage's deploy role trusts.
 */
import { github } from 'projen';
import { RELEASE_OUTPUTS, readReleaseManifestScript } from './release-manifest';
import { ARTIFACTS, RUNNER, awsCredentialsStep, checkoutStep, deployBranchCondition, downloadArtifactStep } from './steps';
import type { ServiceSpec } from '../../spec';

type Job = github.workflows.Job;
type JobStep = github.workflows.JobStep;

export const DEPLOY_STEP_ID = 'deploy';
export const RELEASE_READ_STEP_ID = 'release';

export const DEPLOY_WORK_STEPS = { first: DEPLOY_STEP_ID, last: DEPLOY_STEP_ID } as const;

/** A stage's deploy job id in pipeline.yml and rollback.yml. */
export function deployJobId(stage: Pick<ServiceSpec, 'stage'>): string {
  return `deploy-${stage.stage.name}`;
}

/** The S3 object the pipeline's source action watches: the delivery stack derives the same key from the spec. */
export function pipelineSourceKey(spec: ServiceSpec): string {
  return `${spec.names.pipelineSourceKeyPrefix}${ARTIFACTS.cloudAssembly.path}`;
}

/**
 * One queue per stage, shared by pipeline.yml, rollback.yml and configure-hosts: a deploy never cancels another.
 * A group holds one running and one pending job, and a newer pending job replaces the older
 * (https://docs.github.com/en/actions/using-jobs/using-concurrency).
 */
export function stageConcurrency(stage: Pick<ServiceSpec, 'environment'>): { 'group': string; 'cancel-in-progress': boolean } {
  return { 'group': `deploy-${stage.environment}`, 'cancel-in-progress': false };
}

export interface DeployJobOptions {
  readonly needs: string[];
  /** Where the release comes from: absent, this run; otherwise an expression naming an earlier run's id. */
  readonly fromRun?: string;
  /** An extra condition ANDed with the deploy-branch condition (rollback.yml: the stage chosen). */
  readonly if?: string;
}

/**
 * A protected stage waits for its Environment's required reviewers before the job starts; GitHub takes those
 * from the repository settings, which no generated file can set. The summary says so, and where to set them.
 */
function protectedStageNote(spec: ServiceSpec): JobStep[] {
  if (!spec.protectedEnvironment) return [];
  const env = spec.environment;
  return [{
    id: 'protected-stage',
    name: `Note: ${env} is a protected stage`,
    run: [
      '{',
      `  echo "### ${env} is a protected stage"`,
      '  echo ""',
      `  echo "This job starts only after a required reviewer of the GitHub Environment \\\`${env}\\\` approves it, and ${spec.names.pipeline} then waits for its own manual approval, whose link shows the change set."`,
      `  echo "If this job started without anyone approving it, the Environment has no required reviewers: add them in Settings → Environments → ${env} → Required reviewers (https://docs.github.com/en/actions/managing-workflow-runs-and-deployments/managing-deployments/managing-environments-for-deployment#required-reviewers)."`,
      '} >> "${GITHUB_STEP_SUMMARY}"',
    ].join('\n'),
  }];
}

export function deployJob(spec: ServiceSpec, options: DeployJobOptions): Job {
  const branches = deployBranchCondition(spec);
  const release = (output: string) => `\${{ steps.${RELEASE_READ_STEP_ID}.outputs.${output} }}`;
  return {
    name: `deploy ${spec.stage.name}`,
    needs: options.needs,
    if: options.if ? `(${branches}) && ${options.if}` : branches,
    runsOn: RUNNER,
    // actions: read lets the token download an earlier run's artifacts (rollback.yml);
    // deployments: write: the action records the deployment with its statuses following the execution.
    permissions: {
      contents: github.workflows.JobPermission.READ,
      idToken: github.workflows.JobPermission.WRITE,
      deployments: github.workflows.JobPermission.WRITE,
      ...(options.fromRun ? { actions: github.workflows.JobPermission.READ } : {}),
    },
    environment: { name: spec.environment, url: `\${{ steps.${DEPLOY_STEP_ID}.outputs.execution-url }}` },
    // Only deploys queue, one per stage in push order; builds, scans and images of newer pushes run meanwhile.
    concurrency: stageConcurrency(spec),
    // The wait, the upload and the stop on timeout (spec.pipeline.deployJobTimeoutMinutes), inside the session.
    timeoutMinutes: spec.pipeline.deployJobTimeoutMinutes,
    steps: [
      checkoutStep(),
      ...protectedStageNote(spec),
      downloadArtifactStep(ARTIFACTS.cloudAssembly, { fromRun: options.fromRun }),
      downloadArtifactStep(ARTIFACTS.releaseManifest, { fromRun: options.fromRun }),
      {
        id: RELEASE_READ_STEP_ID,
        name: 'Read and check the release manifest against the assembly',
        env: { STAGE: spec.stage.name, SOURCE_RUN: options.fromRun ?? '${{ github.run_id }}' },
        run: readReleaseManifestScript(),
      },
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
          'variables': [`IMAGE_URI=${release(RELEASE_OUTPUTS.imageUri)}`, `COMMIT_SHA=${release(RELEASE_OUTPUTS.commitSha)}`].join('\n'),
          'timeout-minutes': spec.pipeline.deployWaitMinutes,
          'environment': spec.environment,
        },
      },
    ],
  };
}
