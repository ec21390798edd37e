/**
 * `.github/workflows/pipeline.yml`: every push to a deploy branch is built once and promoted through the stages:
 *
 *   build → { sonar ‖ veracode ‖ image } → release → deploy-<first> → configure-hosts-<first> (with hosts)
 *         → deploy-<next> → configure-hosts-<next> → …
 *
 * One synth (every stage's stacks in one assembly), one image push, one release manifest; each stage's deploy
 * reads those same artifacts, so no stage rebuilds anything and a failed stage's job re-runs on the same
 * release ("Re-run failed jobs" keeps the successful jobs and their artifacts). A stage starts only after the
 * previous stage's deploy and host configuration succeeded. Turning a job off in the spec removes it and every
 * `needs` that named it.
 */
import { Component, github } from 'projen';
import { BUILD_WORK_STEPS, buildJob } from './build-job';
import { CONFIGURE_HOSTS_WORK_STEPS, configureHostsJob, configureHostsJobId, hasConfigureHostsJob } from './configure-hosts-job';
import { DEPLOY_WORK_STEPS, deployJob, deployJobId } from './deploy-job';
import { IMAGE_WORK_STEPS, imageJob, imageOwnerStage } from './image-job';
import { StepHooks, WorkSteps, insertHooks } from './job-hooks';
import { RELEASE_JOB_ID, RELEASE_WORK_STEPS, releaseJob } from './release-job';
import { SONAR_WORK_STEPS, VERACODE_WORK_STEPS, sonarJob, veracodeJob } from './scan-jobs';
import { finishWorkflowFile } from './workflow-file';
import type { EstateSpec, ServiceSpec } from '../../spec';

/** The kinds of job, in graph order; `deploy` and `configure-hosts` have one job per stage (`deploy-<stage>`). */
export const PIPELINE_JOB_IDS = ['build', 'sonar', 'veracode', 'image', 'release', 'deploy', 'configure-hosts'] as const;
export type PipelineJobKind = (typeof PIPELINE_JOB_IDS)[number];
/** What a hook names: a kind (every stage's job of that kind) or one stage's job (`deploy-staging`). */
export type PipelineJobId = PipelineJobKind | `deploy-${string}` | `configure-hosts-${string}`;

export const PIPELINE_FILE = 'pipeline.yml';

const PER_STAGE: readonly PipelineJobKind[] = ['deploy', 'configure-hosts'];

/** Which kinds of job the spec turns on; build always runs; release and deploy go together. */
export function enabledPipelineJobs(estate: EstateSpec): PipelineJobKind[] {
  const { stages } = estate.pipeline;
  return PIPELINE_JOB_IDS.filter((job) => {
    if (job === 'build') return true;
    if (job === 'release') return stages.deploy;
    if (job === 'configure-hosts') return estate.stages.some(hasConfigureHostsJob);
    return stages[job];
  });
}

/** The stages' job ids in promotion order: each stage's deploy, then its configure-hosts when it has hosts. */
export function stageJobIds(estate: EstateSpec): { stage: string; deploy: string; configureHosts?: string }[] {
  return estate.stages.map((s) => ({
    stage: s.stage.name,
    deploy: deployJobId(s),
    ...(hasConfigureHostsJob(s) ? { configureHosts: configureHostsJobId(s) } : {}),
  }));
}

/** Why a pipeline job is absent, in the words of the option that removed it. */
function absentBecause(job: string, estate: EstateSpec): string {
  const stages = estate.stages.map((s) => s.stage.name);
  if (job === 'configure-hosts' || job.startsWith('configure-hosts-')) {
    return "a 'configure-hosts-<stage>' job runs only for a stage with hosts (hosts.count > 0) and with the deploy " +
      `stage (pipeline.stages.deploy) in .projenrc.ts; the stages are ${stages.join(', ')}: add hosts or remove the hook`;
  }
  if (job.startsWith('deploy-')) return `there is no stage '${job.slice('deploy-'.length)}'; the stages are ${stages.join(', ')}`;
  const option = job === 'release' ? 'deploy' : job;
  return `the '${job}' job is turned off by pipeline.stages.${option}: false in .projenrc.ts; turn the stage on or remove the hook`;
}

export class PipelineWorkflow extends Component {
  readonly workflow: github.GithubWorkflow;
  private readonly workSteps = new Map<string, WorkSteps>();
  private readonly estate: EstateSpec;

  constructor(project: github.GitHubProject, estate: EstateSpec) {
    super(project);
    const gh = project.github;
    if (!gh) throw new Error("the pipeline workflow needs GitHub support: keep 'github: true' in SlipwayProject");
    this.estate = estate;
    const enabled = new Set(enabledPipelineJobs(estate));
    // The estate-wide jobs (build, scans, image) read the values every stage shares from the image's owner stage.
    const shared = imageOwnerStage(estate);

    // No workflow-level concurrency: a push made during a deploy is built, tested and scanned at once;
    // only its deploy jobs wait (each stage's own concurrency group).
    this.workflow = new github.GithubWorkflow(gh, 'pipeline', { fileName: PIPELINE_FILE });
    this.workflow.on({ push: { branches: [...estate.github.branches] }, workflowDispatch: {} });

    this.add('build', BUILD_WORK_STEPS, buildJob(shared, {
      cloudAssembly: enabled.has('deploy'),
      coverage: enabled.has('sonar'),
      scanArtifact: enabled.has('veracode'),
    }));
    if (enabled.has('sonar')) this.add('sonar', SONAR_WORK_STEPS, sonarJob(shared, { needs: ['build'] }));
    if (enabled.has('veracode')) this.add('veracode', VERACODE_WORK_STEPS, veracodeJob(shared, { needs: ['build'] }));
    if (enabled.has('image')) this.add('image', IMAGE_WORK_STEPS, imageJob(estate, { needs: ['build'] }));
    if (enabled.has('release')) {
      // Nothing is released until the build, every scan and the image have passed.
      const gates = (['build', 'sonar', 'veracode', 'image'] as const).filter((job) => enabled.has(job));
      this.add(RELEASE_JOB_ID, RELEASE_WORK_STEPS, releaseJob(estate, { needs: [...gates] }));
      this.addStages(estate.stages);
    }
    finishWorkflowFile(this.workflow);
  }

  /** The jobs this pipeline has, in graph order. */
  get jobIds(): string[] {
    return [...this.workSteps.keys()];
  }

  /**
   * Adds a team's steps before and/or after a job's own work: `deploy` or `configure-hosts` hooks every stage's
   * job of that kind, `deploy-<stage>` one stage's. Throws when the job is absent (turned off, or no such
   * stage), or a step's `uses:` is not local or SHA-pinned.
   */
  addSteps(job: PipelineJobId, hooks: StepHooks): void {
    const targets = PER_STAGE.includes(job as PipelineJobKind)
      ? this.jobIds.filter((id) => id.startsWith(`${job}-`) && this.kindOf(id) === job)
      : this.workSteps.has(job) ? [job] : [];
    if (targets.length === 0) {
      const known = (PIPELINE_JOB_IDS as readonly string[]).includes(job) || job.startsWith('deploy-') || job.startsWith('configure-hosts-');
      if (!known) throw new Error(`pipeline has no job '${job}'; hook one of: ${[...new Set([...this.kinds(), ...this.jobIds])].join(', ')}`);
      throw new Error(`cannot add steps to pipeline job '${job}': ${absentBecause(job, this.estate)}`);
    }
    for (const id of targets) insertHooks(this.workflow, id, this.workSteps.get(id)!, hooks);
  }

  private addStages(stages: readonly ServiceSpec[]): void {
    // Each stage waits for the one before it: its deploy and, when it has hosts, their configuration.
    let previous: string[] = [];
    for (const stage of stages) {
      const deploy = deployJobId(stage);
      this.add(deploy, DEPLOY_WORK_STEPS, deployJob(stage, { needs: [RELEASE_JOB_ID, ...previous] }));
      previous = [deploy];
      if (hasConfigureHostsJob(stage)) {
        const hosts = configureHostsJobId(stage);
        this.add(hosts, CONFIGURE_HOSTS_WORK_STEPS, configureHostsJob(stage, { needs: [deploy] }));
        previous = [deploy, hosts];
      }
    }
  }

  private kindOf(id: string): PipelineJobKind | undefined {
    const stage = this.estate.stages.find((s) => id === deployJobId(s) || id === configureHostsJobId(s));
    if (!stage) return (PIPELINE_JOB_IDS as readonly string[]).includes(id) ? (id as PipelineJobKind) : undefined;
    return id === deployJobId(stage) ? 'deploy' : 'configure-hosts';
  }

  private kinds(): PipelineJobKind[] {
    return PIPELINE_JOB_IDS.filter((kind) => this.jobIds.some((id) => this.kindOf(id) === kind));
  }

  private add(id: string, workSteps: WorkSteps, job: github.workflows.Job): void {
    this.workflow.addJob(id, job);
    this.workSteps.set(id, workSteps);
  }
}
