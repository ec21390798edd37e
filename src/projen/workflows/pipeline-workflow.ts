/**
 * `.github/workflows/pipeline.yml`: every push to a deploy branch goes
 * build → { sonar ‖ veracode ‖ image } → deploy → configure-hosts (with hosts). Turning a stage off in the
 * spec removes its job and every `needs` that named it.
 */
import { Component, github } from 'projen';
import { BUILD_WORK_STEPS, buildJob } from './build-job';
import { CONFIGURE_HOSTS_WORK_STEPS, configureHostsJob, hasConfigureHostsJob } from './configure-hosts-job';
import { DEPLOY_WORK_STEPS, deployJob } from './deploy-job';
import { IMAGE_WORK_STEPS, imageJob } from './image-job';
import { StepHooks, WorkSteps, insertHooks } from './job-hooks';
import { SONAR_WORK_STEPS, VERACODE_WORK_STEPS, sonarJob, veracodeJob } from './scan-jobs';
import { finishWorkflowFile } from './workflow-file';
import type { ServiceSpec } from '../../spec';

export const PIPELINE_JOB_IDS = ['build', 'sonar', 'veracode', 'image', 'deploy', 'configure-hosts'] as const;
export type PipelineJobId = (typeof PIPELINE_JOB_IDS)[number];

export const PIPELINE_FILE = 'pipeline.yml';

/** Which jobs the spec turns on; build always runs, configure-hosts follows a deploy when there are hosts. */
export function enabledPipelineJobs(spec: ServiceSpec): PipelineJobId[] {
  const { stages } = spec.pipeline;
  return PIPELINE_JOB_IDS.filter((job) => job === 'build' || (job === 'configure-hosts' ? hasConfigureHostsJob(spec) : stages[job]));
}

/** Why a pipeline job is absent, in the words of the option that removed it. */
function absentBecause(job: PipelineJobId): string {
  if (job === 'configure-hosts') {
    return "the 'configure-hosts' job runs only with hosts (hosts.count > 0) and the deploy stage (pipeline.stages.deploy) in .projenrc.ts; add them or remove the hook";
  }
  return `the '${job}' job is turned off by pipeline.stages.${job}: false in .projenrc.ts; turn the stage on or remove the hook`;
}

export class PipelineWorkflow extends Component {
  readonly workflow: github.GithubWorkflow;
  private readonly workSteps = new Map<PipelineJobId, WorkSteps>();

  constructor(project: github.GitHubProject, spec: ServiceSpec) {
    super(project);
    const gh = project.github;
    if (!gh) throw new Error("the pipeline workflow needs GitHub support: keep 'github: true' in SlipwayProject");
    const enabled = new Set(enabledPipelineJobs(spec));

    // No workflow-level concurrency: a push made during a deploy is built, tested and scanned at once;
    // only its deploy job waits (the job's own concurrency group).
    this.workflow = new github.GithubWorkflow(gh, 'pipeline', { fileName: PIPELINE_FILE });
    this.workflow.on({ push: { branches: [...spec.github.branches] }, workflowDispatch: {} });

    this.add('build', BUILD_WORK_STEPS, buildJob(spec, {
      cloudAssembly: enabled.has('deploy'),
      coverage: enabled.has('sonar'),
      scanArtifact: enabled.has('veracode'),
    }));
    if (enabled.has('sonar')) this.add('sonar', SONAR_WORK_STEPS, sonarJob(spec, { needs: ['build'] }));
    if (enabled.has('veracode')) this.add('veracode', VERACODE_WORK_STEPS, veracodeJob(spec, { needs: ['build'] }));
    if (enabled.has('image')) this.add('image', IMAGE_WORK_STEPS, imageJob(spec, { needs: ['build'] }));
    if (enabled.has('deploy')) {
      const gates = (['build', 'sonar', 'veracode', 'image'] as const).filter((job) => enabled.has(job));
      this.add('deploy', DEPLOY_WORK_STEPS, deployJob(spec, { needs: [...gates] }));
    }
    if (enabled.has('configure-hosts')) {
      this.add('configure-hosts', CONFIGURE_HOSTS_WORK_STEPS, configureHostsJob(spec, { needs: ['deploy'] }));
    }
    finishWorkflowFile(this.workflow);
  }

  /** The jobs this pipeline has, in graph order. */
  get jobIds(): PipelineJobId[] {
    return PIPELINE_JOB_IDS.filter((job) => this.workSteps.has(job));
  }

  /**
   * Adds a team's steps before and/or after a job's own work. Throws when the
   * job is turned off, or a step's `uses:` is not local or SHA-pinned.
   */
  addSteps(job: PipelineJobId, hooks: StepHooks): void {
    const target = this.workSteps.get(job);
    if (!target) {
      if (!(PIPELINE_JOB_IDS as readonly string[]).includes(job)) {
        throw new Error(`pipeline has no job '${job}'; hook one of: ${this.jobIds.join(', ')}`);
      }
      throw new Error(`cannot add steps to pipeline job '${job}': ${absentBecause(job)}`);
    }
    insertHooks(this.workflow, job, target, hooks);
  }

  private add(id: PipelineJobId, workSteps: WorkSteps, job: github.workflows.Job): void {
    this.workflow.addJob(id, job);
    this.workSteps.set(id, workSteps);
  }
}
