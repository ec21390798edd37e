/**
 * The pull request's infrastructure diff: synthesize the PR and its base
 * offline (no AWS credentials), every stage into one assembly each, compare
 * the templates and write a `cdk diff`-style report to the job summary, a
 * section per stage (each side's spec file says whose each stack is).
 */
import { github } from 'projen';
import { SAME_REPOSITORY } from './pull-request-workflow';
import { CDK_OUT, OFFLINE_CDK_ENV, OFFLINE_SYNTH, RUNNER, checkoutStep, npmCiStep, setupNodeStep } from './steps';
import { SPEC_FILE, type ServiceSpec } from '../../spec';

type Job = github.workflows.Job;

/** The base branch is checked out here, inside the workspace as actions/checkout requires. */
export const BASE_CHECKOUT_DIR = '.pr-base';
export const INFRA_DIFF_TIMEOUT_MINUTES = 20;
export const TEMPLATE_DIFF_CLI = 'src/pipeline/template-diff-cli.ts';
export const TEMPLATE_DIFF_COMMENT_CLI = 'src/pipeline/template-diff-comment-cli.ts';
const COMMENT_FILE = '${{ runner.temp }}/infra-diff-comment.md';

export const INFRA_DIFF_WORK_STEPS = { first: 'synth-head', last: 'comment' } as const;

export function infraDiffJob(spec: ServiceSpec): Job {
  return {
    name: 'infra diff',
    runsOn: RUNNER,
    // pull-requests: write for the one diff comment; a fork's token stays read-only whatever this says.
    permissions: { contents: github.workflows.JobPermission.READ, pullRequests: github.workflows.JobPermission.WRITE },
    timeoutMinutes: INFRA_DIFF_TIMEOUT_MINUTES,
    env: { ...OFFLINE_CDK_ENV },
    steps: [
      checkoutStep(),
      // The base commit the pull request would merge into.
      checkoutStep({ ref: '${{ github.event.pull_request.base.sha }}', path: BASE_CHECKOUT_DIR }),
      setupNodeStep(spec, ['package-lock.json', `${BASE_CHECKOUT_DIR}/package-lock.json`]),
      npmCiStep(),
      npmCiStep(BASE_CHECKOUT_DIR),
      { id: INFRA_DIFF_WORK_STEPS.first, name: 'Synthesize the pull request', run: `${OFFLINE_SYNTH} --output ${CDK_OUT}` },
      {
        id: 'synth-base',
        name: 'Synthesize the base branch',
        workingDirectory: BASE_CHECKOUT_DIR,
        run: `${OFFLINE_SYNTH} --output ${CDK_OUT}`,
      },
      {
        id: 'diff',
        name: 'Compare the templates, stage by stage (written to the job summary)',
        // Branch names reach the script through env, never through the command text.
        env: { BASE_LABEL: '${{ github.base_ref }}', HEAD_LABEL: '${{ github.head_ref }}' },
        run: [
          `npx tsx ${TEMPLATE_DIFF_CLI} --base "${BASE_CHECKOUT_DIR}/${CDK_OUT}" --head "${CDK_OUT}"`,
          `--base-spec "${BASE_CHECKOUT_DIR}/${SPEC_FILE}" --head-spec "${SPEC_FILE}"`,
          '--base-label "${BASE_LABEL}" --head-label "${HEAD_LABEL}" --output "${GITHUB_STEP_SUMMARY}"',
        ].join(' '),
      },
      {
        id: 'comment-body',
        name: 'Write the pull request comment (per stack, replacements and security changes first)',
        env: { BASE_LABEL: '${{ github.base_ref }}', HEAD_LABEL: '${{ github.head_ref }}' },
        run: `npx tsx ${TEMPLATE_DIFF_COMMENT_CLI} --base "${BASE_CHECKOUT_DIR}/${CDK_OUT}" --head "${CDK_OUT}" --base-label "\${BASE_LABEL}" --head-label "\${HEAD_LABEL}" --output "\${RUNNER_TEMP}/infra-diff-comment.md"`,
      },
      // Forks: the summary only (https://docs.github.com/en/actions/reference/github_token-reference#permissions-for-the-github_token).
      { id: INFRA_DIFF_WORK_STEPS.last, name: 'Comment on the pull request (created once, edited on each push)', if: SAME_REPOSITORY, uses: './actions/pr-comment', with: { 'body-file': COMMENT_FILE, 'marker': 'infra-diff' } },
    ],
  };
}
