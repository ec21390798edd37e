/**
 * The service's own dependencies, kept current: projen's UpgradeDependencies task (`npx projen upgrade`:
 * npm-check-updates, install, regenerate) without projen's workflow (it pins actions by tag, and opens
 * the pull request before any check), and `.github/workflows/upgrade-dependencies.yml`, which runs that
 * task, then the service checks, and only then opens or updates one pull request. Dependabot alone
 * edits package.json, which projen regenerates from .projenrc.ts, so its pull requests fail the drift check.
 */
import { Component, github, javascript } from 'projen';
import { OFFLINE_CDK_ENV, RUNNER } from './steps';
import { openPullRequestStep, upgradeSetupSteps } from './upgrade-pull-request';
import { finishWorkflowFile } from './workflow-file';
import type { ServiceSpec } from '../../spec';
import { TASKS } from '../test-split';

export const DEPS_UPGRADE_FILE = 'upgrade-dependencies.yml';
export const DEPS_UPGRADE_TASK = 'upgrade';
export const DEPS_UPGRADE_BRANCH = 'slipway/upgrade-dependencies';
/** Mondays 04:41 UTC, before the platform upgrade, so the two pull requests rarely race. */
export const DEPS_UPGRADE_CRON = '41 4 * * 1';

const BODY = '${{ runner.temp }}/upgrade-dependencies.md';

export class DepsUpgradeWorkflow extends Component {
  readonly upgrade: javascript.UpgradeDependencies;
  readonly workflow: github.GithubWorkflow;

  constructor(project: javascript.NodeProject, spec: Pick<ServiceSpec, 'github' | 'pipeline'>) {
    super(project);
    const gh = project.github;
    if (!gh) throw new Error("the dependency upgrade workflow needs GitHub support: keep 'github: true' in SlipwayProject");
    this.upgrade = new javascript.UpgradeDependencies(project, { taskName: DEPS_UPGRADE_TASK, workflow: false });
    this.workflow = new github.GithubWorkflow(gh, 'upgrade-dependencies', {
      fileName: DEPS_UPGRADE_FILE,
      limitConcurrency: true,
      concurrencyOptions: { group: 'upgrade-dependencies', cancelInProgress: false },
    });
    this.workflow.on({ schedule: [{ cron: DEPS_UPGRADE_CRON }], workflowDispatch: {} });
    const base = spec.github.branches[0];
    this.workflow.addJob('upgrade-dependencies', {
      name: 'upgrade dependencies',
      runsOn: RUNNER,
      permissions: { contents: github.workflows.JobPermission.WRITE, pullRequests: github.workflows.JobPermission.WRITE },
      timeoutMinutes: 30,
      env: { ...OFFLINE_CDK_ENV },
      steps: [
        ...upgradeSetupSteps(spec, base),
        { id: 'upgrade', name: `Upgrade dependencies (npx projen ${DEPS_UPGRADE_TASK}: npm-check-updates, install, regenerate)`, run: `npx projen ${DEPS_UPGRADE_TASK}` },
        { id: 'service-checks', name: `Service checks (npx projen ${TASKS.service})`, run: `npx projen ${TASKS.service}` },
        {
          id: 'body',
          name: 'Pull request body',
          run: [
            '{',
            `  echo 'Dependency upgrade: \`npx projen ${DEPS_UPGRADE_TASK}\`, then the service checks (\`npx projen ${TASKS.service}\`) passed.'`,
            '  echo',
            "  echo '```'",
            '  git --no-pager diff --stat',
            "  echo '```'",
            '} > "${BODY}"',
          ].join('\n'),
          env: { BODY },
        },
        openPullRequestStep({ branch: DEPS_UPGRADE_BRANCH, base, title: 'Upgrade dependencies', bodyFile: BODY }),
      ],
    });
    finishWorkflowFile(this.workflow);
  }
}
