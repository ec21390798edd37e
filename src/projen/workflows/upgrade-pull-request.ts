/**
 * The two steps both upgrade workflows end with: a GitHub App token, and one pull request opened or
 * updated on a fixed branch with `gh` (preinstalled on GitHub's ubuntu runners: no third-party action).
 *
 * Why an App token: "events triggered by the GITHUB_TOKEN, with the exception of workflow_dispatch and
 * repository_dispatch, will not create a new workflow run"
 * (https://docs.github.com/en/actions/how-tos/write-workflows/choose-when-workflows-run/trigger-a-workflow),
 * so a pull request opened with it runs no checks. The GITHUB_TOKEN also cannot push changes to
 * .github/workflows/ (it has no `workflows` permission: github/docs#11490, peter-evans/create-pull-request#1713),
 * and upgrades regenerate workflows. Without the App (vars.SLIPWAY_APP_CLIENT_ID unset) the job falls back to
 * the GITHUB_TOKEN; README "Keeping a service repo up to date" says what that fallback cannot do.
 */
import type { github } from 'projen';
import { appPackagesStep } from './build-job';
import { pinnedUses } from './pinned-actions';
import { checkoutStep, npmCiStep, setupNodeStep } from './steps';
import type { ServiceSpec } from '../../spec';

type JobStep = github.workflows.JobStep;

/** Repository variable and secret holding the App's client id and private key (README). */
export const APP_CLIENT_ID_VARIABLE = 'SLIPWAY_APP_CLIENT_ID';
export const APP_PRIVATE_KEY_SECRET = 'SLIPWAY_APP_PRIVATE_KEY';

/** The App's installation token when configured, otherwise the job's GITHUB_TOKEN. */
export const UPGRADE_TOKEN = '${{ steps.app-token.outputs.token || github.token }}';

/** What both upgrade jobs start with: the token, the deploy branch checked out, Node, `npm ci`, the app's test packages. */
export function upgradeSetupSteps(spec: Pick<ServiceSpec, 'pipeline'>, base: string): JobStep[] {
  return [appTokenStep(), checkoutStep({ ref: base }), setupNodeStep(spec), npmCiStep(), ...appPackagesStep(spec)];
}

export function appTokenStep(): JobStep {
  return {
    id: 'app-token',
    name: `GitHub App token (vars.${APP_CLIENT_ID_VARIABLE}); skipped without one, and the GITHUB_TOKEN is used`,
    if: `vars.${APP_CLIENT_ID_VARIABLE} != ''`,
    uses: pinnedUses('createGithubAppToken'),
    with: {
      'client-id': `\${{ vars.${APP_CLIENT_ID_VARIABLE} }}`,
      'private-key': `\${{ secrets.${APP_PRIVATE_KEY_SECRET} }}`,
      // Only what the push and the pull request need; workflows: upgrades rewrite .github/workflows/.
      'permission-contents': 'write',
      'permission-pull-requests': 'write',
      'permission-workflows': 'write',
    },
  };
}

export interface PullRequestStepOptions {
  /** The branch the job force-pushes; one open pull request per branch. */
  readonly branch: string;
  readonly base: string;
  readonly title: string;
  /** A file holding the pull request body (markdown). */
  readonly bodyFile: string;
}

/**
 * Commits whatever the job changed to `branch` and opens the pull request, or updates the open one's
 * title and body. Nothing changed: no commit, no pull request. Values reach the script through env,
 * never through `${{ }}` inside the script. `gh auth setup-git` makes git ask gh for credentials, and gh
 * reads GH_TOKEN: the token is never written into a command line or .git/config.
 */
export function openPullRequestStep(options: PullRequestStepOptions): JobStep {
  const script = [
    'if [ -z "$(git status --porcelain --untracked-files=all)" ]; then',
    '  echo "Nothing changed: no pull request."',
    '  exit 0',
    'fi',
    'git config user.name "github-actions[bot]"',
    'git config user.email "41898282+github-actions[bot]@users.noreply.github.com"',
    'git switch --force-create "${BRANCH}"',
    'git add --all',
    'git commit --quiet --message "${TITLE}"',
    'gh auth setup-git',
    'git push --force --set-upstream origin "${BRANCH}"',
    'number="$(gh pr list --head "${BRANCH}" --state open --json number --jq \'.[0].number // empty\')"',
    'if [ -n "${number}" ]; then',
    '  gh pr edit "${number}" --title "${TITLE}" --body-file "${BODY_FILE}"',
    'else',
    '  gh pr create --base "${BASE}" --head "${BRANCH}" --title "${TITLE}" --body-file "${BODY_FILE}"',
    'fi',
  ].join('\n');
  return {
    id: 'pull-request',
    name: `Open or update the pull request from ${options.branch}`,
    run: script,
    env: { GH_TOKEN: UPGRADE_TOKEN, BRANCH: options.branch, BASE: options.base, TITLE: options.title, BODY_FILE: options.bodyFile },
  };
}
