/**
 * `.github/workflows/platform.yml`: the platform's real-tool suite (real hosts, registry, Ansible,
 * action bundles end to end, as `.ci/run` runs it), only when a platform-owned file changes. A service
 * team's pushes to app/ or .projenrc.ts values run the service checks in pipeline.yml alone.
 */
import { Component, github } from 'projen';
import { ANTI_TAMPER } from './build-job';
import { OFFLINE_CDK_ENV, RUNNER, checkoutStep, npmCiStep, setupNodeStep } from './steps';
import { finishWorkflowFile } from './workflow-file';
import type { EstateSpec } from '../../spec';
import { PLATFORM_OWNED_PATHS, TASKS } from '../test-split';

export const PLATFORM_FILE = 'platform.yml';
export const PLATFORM_TIMEOUT_MINUTES = 45;

/** Debian packages the real-tool tests need, installed the way .ci/run installs them. */
const INSTALL_TEST_TOOLS = [
  "packages=$(grep -v '^\\s*#' .ci/apt-packages | awk 'NF {print $1}' | sort -u | tr '\\n' ' ')",
  'sudo apt-get update -qq',
  '# shellcheck disable=SC2086',
  'sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ${packages}',
].join('\n');

export class PlatformWorkflow extends Component {
  readonly workflow: github.GithubWorkflow;

  constructor(project: github.GitHubProject, spec: EstateSpec) {
    super(project);
    const gh = project.github;
    if (!gh) throw new Error("the platform workflow needs GitHub support: keep 'github: true' in SlipwayProject");
    this.workflow = new github.GithubWorkflow(gh, 'platform', {
      fileName: PLATFORM_FILE,
      limitConcurrency: true,
      // A newer push to the same ref supersedes the suite of the previous one.
      concurrencyOptions: { group: 'platform-${{ github.ref }}', cancelInProgress: true },
    });
    const paths = [...PLATFORM_OWNED_PATHS];
    this.workflow.on({ push: { branches: [...spec.github.branches], paths }, pullRequest: { paths }, workflowDispatch: {} });
    this.workflow.addJob('platform-suite', {
      name: 'platform suite',
      runsOn: RUNNER,
      permissions: { contents: github.workflows.JobPermission.READ },
      timeoutMinutes: PLATFORM_TIMEOUT_MINUTES,
      env: { ...OFFLINE_CDK_ENV },
      steps: [
        checkoutStep(),
        setupNodeStep(spec),
        npmCiStep(),
        { id: 'test-tools', name: 'Install the test tools (.ci/apt-packages)', run: INSTALL_TEST_TOOLS },
        { id: 'bundle', name: 'Bundle the actions (actions/*/dist)', run: 'npx projen bundle' },
        {
          id: 'platform-suite',
          name: `The platform suite (npx projen ${TASKS.platform})`,
          // The real-tool tests need root, as under .ci/run; PATH carries node and npx through sudo.
          run: `sudo -E env "PATH=\${PATH}" npx projen ${TASKS.platform}`,
        },
        { id: 'anti-tamper', name: 'Anti-tamper: the suite must not change committed files', run: ANTI_TAMPER },
      ],
    });
    finishWorkflowFile(this.workflow);
  }
}
