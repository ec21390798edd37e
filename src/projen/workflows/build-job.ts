/**
 * The build job both workflows start with: the service checks (regenerate and validate the spec,
 * type-check, cdk-nag and workflow lint on this repository's spec, offline synth, the app's tests),
 * the anti-tamper check, and the artifacts later jobs consume. No root and no apt beyond what the
 * app's tests need: the platform's real-tool suite runs in platform.yml, when platform files change.
 */
import { github } from 'projen';
import { ARTIFACTS, Artifact, CDK_OUT, OFFLINE_CDK_ENV, RUNNER, checkoutStep, npmCiStep, setupNodeStep, uploadArtifactStep } from './steps';
import type { ServiceSpec } from '../../spec';
import { TASKS } from '../test-split';

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
export const BUILD_WORK_STEPS = { first: 'service-checks', last: 'anti-tamper' } as const;

export const BUILD_TIMEOUT_MINUTES = 20;

/** Debian packages the app's tests need (pipeline.appTestPackages); nothing when the list is empty. */
export function appPackagesStep(spec: Pick<ServiceSpec, 'pipeline'>): JobStep[] {
  const packages = spec.pipeline.appTestPackages;
  if (packages.length === 0) return [];
  return [{
    id: 'app-packages',
    name: `Install what the app's tests need (${packages.join(', ')})`,
    run: ['sudo apt-get update -qq', `sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ${packages.join(' ')}`].join('\n'),
  }];
}

/** Fails when the build changed or created a file git does not ignore: generated files must be committed as generated. */
export const ANTI_TAMPER = [
  'changes="$(git status --porcelain --untracked-files=all)"',
  'if [ -n "${changes}" ]; then',
  '  echo "${changes}"',
  '  git --no-pager diff --stat',
  '  echo "::error title=The build changed committed files::Run \'npx projen\' (and \'npx projen bundle\' for actions/) locally and commit what it changes (generated files, action bundles). Changed: $(echo "${changes}" | awk \'{print $2}\' | tr \'\\n\' \' \')"',
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
      ...appPackagesStep(spec),
      {
        id: BUILD_WORK_STEPS.first,
        name: "Service checks (spec, type-check, cdk-nag, workflow lint, synth, the app's tests)",
        run: `npx projen ${TASKS.service}`,
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
