/**
 * The pull request's infrastructure diff: synthesize the PR and its base
 * offline (no AWS credentials), every stage into one assembly each, compare
 * the templates and write a `cdk diff`-style report to the job summary, a
 * section per stage (each side's spec file says whose each stack is).
 */
import { github } from 'projen';
import { CDK_OUT, OFFLINE_CDK_ENV, OFFLINE_SYNTH, RUNNER, checkoutStep, npmCiStep, setupNodeStep } from './steps';
import { SPEC_FILE, type ServiceSpec } from '../../spec';

type Job = github.workflows.Job;

/** The base branch is checked out here, inside the workspace as actions/checkout requires. */
export const BASE_CHECKOUT_DIR = '.pr-base';
export const INFRA_DIFF_TIMEOUT_MINUTES = 20;
export const TEMPLATE_DIFF_CLI = 'src/pipeline/template-diff-cli.ts';

export const INFRA_DIFF_WORK_STEPS = { first: 'synth-head', last: 'diff' } as const;

export function infraDiffJob(spec: ServiceSpec): Job {
  return {
    name: 'infra diff',
    runsOn: RUNNER,
    permissions: { contents: github.workflows.JobPermission.READ },
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
        id: INFRA_DIFF_WORK_STEPS.last,
        name: 'Compare the templates, stage by stage (written to the job summary)',
        // Branch names reach the script through env, never through the command text.
        env: { BASE_LABEL: '${{ github.base_ref }}', HEAD_LABEL: '${{ github.head_ref }}' },
        run: [
          `npx tsx ${TEMPLATE_DIFF_CLI} --base "${BASE_CHECKOUT_DIR}/${CDK_OUT}" --head "${CDK_OUT}"`,
          `--base-spec "${BASE_CHECKOUT_DIR}/${SPEC_FILE}" --head-spec "${SPEC_FILE}"`,
          '--base-label "${BASE_LABEL}" --head-label "${HEAD_LABEL}" --output "${GITHUB_STEP_SUMMARY}"',
        ].join(' '),
      },
    ],
  };
}
