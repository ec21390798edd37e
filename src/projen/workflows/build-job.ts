/**
 * The build job both workflows start with: install, the projen build
 * (regenerate, compile, test with coverage, cdk synth, action bundles), the
 * anti-tamper check, and the artifacts later jobs consume.
 */
import { github } from 'projen';
import { ARTIFACTS, Artifact, CDK_OUT, OFFLINE_CDK_ENV, RUNNER, checkoutStep, npmCiStep, setupNodeStep, uploadArtifactStep } from './steps';
import type { ServiceSpec } from '../../spec';

type Job = github.workflows.Job;
type JobStep = github.workflows.JobStep;

export interface BuildJobOptions {
  /** Upload the zipped cloud assembly (the deploy job's CodePipeline source). */
  readonly cloudAssembly: boolean;
  /** Upload jest's lcov report for the Sonar job. */
  readonly coverage: boolean;
  /** Package and upload the sources for the Veracode job. */
  readonly scanArtifact: boolean;
}

/** The build's own steps; hooks are inserted before the first and after the last. */
export const BUILD_WORK_STEPS = { first: 'test-tools', last: 'anti-tamper' } as const;

export const BUILD_TIMEOUT_MINUTES = 30;

/** Debian packages the real-tool tests need, installed the way .ci/run installs them. */
const INSTALL_TEST_TOOLS = [
  "packages=$(grep -v '^\\s*#' .ci/apt-packages | awk 'NF {print $1}' | sort -u | tr '\\n' ' ')",
  'sudo apt-get update -qq',
  '# shellcheck disable=SC2086',
  'sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ${packages}',
].join('\n');

/** Fails when the build changed or created a file git does not ignore: generated files must be committed as generated. */
const ANTI_TAMPER = [
  'changes="$(git status --porcelain --untracked-files=all)"',
  'if [ -n "${changes}" ]; then',
  '  echo "${changes}"',
  '  git --no-pager diff --stat',
  '  echo "::error title=The build changed committed files::Run \'npx projen build\' locally and commit what it changes (generated files, action bundles, lint fixes). Changed: $(echo "${changes}" | awk \'{print $2}\' | tr \'\\n\' \' \')"',
  '  exit 1',
  'fi',
].join('\n');

export function buildJob(spec: ServiceSpec, options: BuildJobOptions): Job {
  const packaging: JobStep[] = [];
  const uploads: Artifact[] = [];
  if (options.cloudAssembly) {
    packaging.push({
      id: 'package-cloud-assembly',
      name: 'Package the cloud assembly',
      // -X: no extra file attributes, so the same assembly zips to the same bytes.
      run: `cd ${CDK_OUT} && zip -q -r -X "../${ARTIFACTS.cloudAssembly.path}" .`,
    });
    uploads.push(ARTIFACTS.cloudAssembly);
  }
  if (options.scanArtifact) {
    packaging.push({
      id: 'package-scan-artifact',
      name: 'Package the sources for Veracode',
      run: scanArtifactCommand(spec),
    });
    uploads.push(ARTIFACTS.scanArtifact);
  }
  if (options.coverage) uploads.push(ARTIFACTS.coverage);

  return {
    name: 'build',
    runsOn: RUNNER,
    permissions: { contents: github.workflows.JobPermission.READ },
    timeoutMinutes: BUILD_TIMEOUT_MINUTES,
    env: { ...OFFLINE_CDK_ENV },
    steps: [
      checkoutStep(),
      setupNodeStep(spec),
      npmCiStep(),
      { id: BUILD_WORK_STEPS.first, name: 'Install the test tools (.ci/apt-packages)', run: INSTALL_TEST_TOOLS },
      { id: 'bundle', name: 'Bundle the actions (actions/*/dist)', run: 'npx projen bundle' },
      {
        id: 'build',
        name: 'projen build (regenerate, compile, test with coverage, cdk synth)',
        // The real-tool tests need root, as under .ci/run; PATH carries node and npx through sudo.
        run: 'sudo -E env "PATH=${PATH}" npx projen build',
      },
      { id: BUILD_WORK_STEPS.last, name: 'Anti-tamper: the build must not change committed files', run: ANTI_TAMPER },
      ...packaging,
      ...uploads.map(uploadArtifactStep),
    ],
  };
}

/**
 * The Veracode pipeline-scan package: committed sources only (git archive),
 * following Veracode's JavaScript/TypeScript and Python packaging guidance:
 * sources, manifests and lock files; no node_modules, bundles or tests.
 */
export function scanArtifactCommand(spec: ServiceSpec): string {
  const paths = ['src', 'actions', spec.container.imageContext, 'package.json', 'package-lock.json'];
  const excludes = ['actions/*/dist/**', '**/*.test.ts', '**/test_*.py', '**/tests/**'];
  return [
    `git archive --format=zip --output=${ARTIFACTS.scanArtifact.path} HEAD --`,
    ...paths.map((p) => `'${p}'`),
    ...excludes.map((e) => `':(exclude,glob)${e}'`),
  ].join(' ');
}
