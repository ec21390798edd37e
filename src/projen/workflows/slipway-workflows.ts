/**
 * The generated GitHub workflows of a Slipway repository, and the typed
 * escape hatch a team uses from `.projenrc.ts`:
 *
 *   SlipwayWorkflows.of(project).pipeline.addSteps('image', {
 *     before: [{ name: 'Fetch model weights', run: './scripts/fetch-weights.sh' }],
 *   });
 */
import { Component, Project, github } from 'projen';
import { PipelineWorkflow } from './pipeline-workflow';
import { PlatformWorkflow } from './platform-workflow';
import { PullRequestWorkflow } from './pull-request-workflow';
import { RollbackWorkflow } from './rollback-workflow';
import type { EstateSpec } from '../../spec';

export class SlipwayWorkflows extends Component {
  /** The workflows component of `project`; throws when the project has none. */
  static of(project: Project): SlipwayWorkflows {
    const found = project.components.find((c): c is SlipwayWorkflows => c instanceof SlipwayWorkflows);
    if (!found) throw new Error(`project '${project.name}' has no SlipwayWorkflows; it is added by SlipwayProject`);
    return found;
  }

  /** `.github/workflows/pipeline.yml`: push → build → scans ‖ image → release → each stage's deploy, in order. */
  readonly pipeline: PipelineWorkflow;
  /** `.github/workflows/rollback.yml`: deploy an earlier run's release to one stage; absent without the deploy stage. */
  readonly rollback?: RollbackWorkflow;
  /** `.github/workflows/pull-request.yml`: build, Sonar and the offline infra diff. */
  readonly pullRequest: PullRequestWorkflow;
  /** `.github/workflows/platform.yml`: the real-tool suite, when platform-owned files change. */
  readonly platform: PlatformWorkflow;

  constructor(project: github.GitHubProject, estate: EstateSpec) {
    super(project);
    this.pipeline = new PipelineWorkflow(project, estate);
    if (estate.pipeline.stages.deploy) this.rollback = new RollbackWorkflow(project, estate);
    this.pullRequest = new PullRequestWorkflow(project, estate);
    this.platform = new PlatformWorkflow(project, estate);
  }
}
