/**
 * `.github/workflows/pull-request.yml`: build and Sonar, plus the offline
 * infrastructure diff against the base branch, a section per stage. No AWS
 * credentials, no `id-token`, no deploy: nothing here can change an account.
 */
import { Component, github } from 'projen';
import { BUILD_WORK_STEPS, buildJob } from './build-job';
import { imageOwnerStage } from './image-job';
import { INFRA_DIFF_WORK_STEPS, infraDiffJob } from './infra-diff-job';
import { StepHooks, WorkSteps, insertHooks } from './job-hooks';
import { SONAR_WORK_STEPS, sonarJob } from './scan-jobs';
import { finishWorkflowFile } from './workflow-file';
import type { EstateSpec } from '../../spec';

export const PULL_REQUEST_JOB_IDS = ['build', 'sonar', 'infra-diff'] as const;
export type PullRequestJobId = (typeof PULL_REQUEST_JOB_IDS)[number];

export const PULL_REQUEST_FILE = 'pull-request.yml';

/** Secrets are not given to pull requests from forks, so Sonar runs only for branches of this repository. */
export const SAME_REPOSITORY = 'github.event.pull_request.head.repo.full_name == github.repository';

export class PullRequestWorkflow extends Component {
  readonly workflow: github.GithubWorkflow;
  private readonly workSteps = new Map<PullRequestJobId, WorkSteps>();

  constructor(project: github.GitHubProject, estate: EstateSpec) {
    super(project);
    // The build is the estate's one build; it reads the values every stage shares from the image's owner stage.
    const spec = imageOwnerStage(estate);
    const gh = project.github;
    if (!gh) throw new Error("the pull-request workflow needs GitHub support: keep 'github: true' in SlipwayProject");

    this.workflow = new github.GithubWorkflow(gh, 'pull-request', {
      fileName: PULL_REQUEST_FILE,
      limitConcurrency: true,
      // A new push to the pull request supersedes the checks of the previous one.
      concurrencyOptions: { group: 'pull-request-${{ github.event.pull_request.number }}', cancelInProgress: true },
    });
    this.workflow.on({ pullRequest: {} });

    this.add('build', BUILD_WORK_STEPS, buildJob(spec, { cloudAssembly: false, coverage: spec.pipeline.stages.sonar, scanArtifact: false }));
    if (spec.pipeline.stages.sonar) this.add('sonar', SONAR_WORK_STEPS, sonarJob(spec, { needs: ['build'], if: SAME_REPOSITORY }));
    this.add('infra-diff', INFRA_DIFF_WORK_STEPS, infraDiffJob(spec));
    finishWorkflowFile(this.workflow);
  }

  get jobIds(): PullRequestJobId[] {
    return PULL_REQUEST_JOB_IDS.filter((job) => this.workSteps.has(job));
  }

  /** Adds a team's steps before and/or after a job's own work; see PipelineWorkflow.addSteps. */
  addSteps(job: PullRequestJobId, hooks: StepHooks): void {
    const target = this.workSteps.get(job);
    if (!target) {
      throw new Error(
        job === 'sonar'
          ? "cannot add steps to pull-request job 'sonar': it is turned off by pipeline.stages.sonar: false in .projenrc.ts; turn the stage on or remove the hook"
          : `pull-request has no job '${job}'; hook one of: ${this.jobIds.join(', ')}`,
      );
    }
    insertHooks(this.workflow, job, target, hooks);
  }

  private add(id: PullRequestJobId, workSteps: WorkSteps, job: github.workflows.Job): void {
    this.workflow.addJob(id, job);
    this.workSteps.set(id, workSteps);
  }
}
