/**
 * `.github/workflows/upgrade-platform.yml`: weekly and on demand, `npx projen upgrade-platform` (which
 * regenerates and runs the service checks) and one pull request with the upgrade's table as its body.
 */
import { Component, github } from 'projen';
import { OFFLINE_CDK_ENV, RUNNER } from './steps';
import { openPullRequestStep, upgradeSetupSteps } from './upgrade-pull-request';
import { finishWorkflowFile } from './workflow-file';
import type { ServiceSpec } from '../../spec';
import { UPGRADE_PLATFORM_TASK } from '../upgrade-task';

export const UPGRADE_PLATFORM_FILE = 'upgrade-platform.yml';
export const UPGRADE_PLATFORM_BRANCH = 'slipway/upgrade-platform';
/** Mondays 05:23 UTC: off the hour, when GitHub's scheduler is busiest. */
export const UPGRADE_PLATFORM_CRON = '23 5 * * 1';
export const UPGRADE_TIMEOUT_MINUTES = 30;

/** The summary the upgrade writes; the pull request body. */
const SUMMARY = '${{ runner.temp }}/upgrade-platform.md';

export class UpgradePlatformWorkflow extends Component {
  readonly workflow: github.GithubWorkflow;

  constructor(project: github.GitHubProject, spec: Pick<ServiceSpec, 'github' | 'pipeline'>) {
    super(project);
    const gh = project.github;
    if (!gh) throw new Error("the upgrade-platform workflow needs GitHub support: keep 'github: true' in SlipwayProject");
    this.workflow = new github.GithubWorkflow(gh, 'upgrade-platform', {
      fileName: UPGRADE_PLATFORM_FILE,
      limitConcurrency: true,
      // Two runs would push the same branch; the second waits.
      concurrencyOptions: { group: 'upgrade-platform', cancelInProgress: false },
    });
    this.workflow.on({
      schedule: [{ cron: UPGRADE_PLATFORM_CRON }],
      workflowDispatch: {
        inputs: {
          ref: { description: 'Template tag, branch or commit (empty: the newest release tag)', required: false, type: 'string' },
          source: { description: 'Template git URL (empty: the one in .slipway/platform.json)', required: false, type: 'string' },
        },
      },
    });
    const base = spec.github.branches[0];
    this.workflow.addJob('upgrade-platform', {
      name: 'upgrade platform',
      runsOn: RUNNER,
      // For the GITHUB_TOKEN fallback; with the App, its token carries the permissions instead.
      permissions: { contents: github.workflows.JobPermission.WRITE, pullRequests: github.workflows.JobPermission.WRITE },
      timeoutMinutes: UPGRADE_TIMEOUT_MINUTES,
      env: { ...OFFLINE_CDK_ENV },
      steps: [
        ...upgradeSetupSteps(spec, base),
        {
          id: 'upgrade',
          name: `Upgrade (npx projen ${UPGRADE_PLATFORM_TASK}: replace platform files, regenerate, service checks)`,
          run: [
            // --if-stamped: the template repository generates this workflow too, and has nothing to upgrade to.
            'args=(--summary "${SUMMARY}" --if-stamped)',
            'if [ -n "${TEMPLATE_SOURCE}" ]; then args+=(--source "${TEMPLATE_SOURCE}"); fi',
            'if [ -n "${TEMPLATE_REF}" ]; then args+=(--ref "${TEMPLATE_REF}"); fi',
            `npx projen ${UPGRADE_PLATFORM_TASK} "\${args[@]}"`,
          ].join('\n'),
          env: { SUMMARY, TEMPLATE_SOURCE: '${{ inputs.source }}', TEMPLATE_REF: '${{ inputs.ref }}' },
        },
        openPullRequestStep({ branch: UPGRADE_PLATFORM_BRANCH, base, title: 'Upgrade the Slipway platform', bodyFile: SUMMARY }),
      ],
    });
    finishWorkflowFile(this.workflow);
  }
}
