/**
 * Step builders and the artifacts that pass between the generated jobs.
 * Every third-party `uses:` goes through the pin table; every value that
 * names something comes from the spec.
 */
import type { github } from 'projen';
import { pinnedUses } from './pinned-actions';
import { CONFIGURE_HOSTS_SESSION_SECONDS, type ServiceSpec } from '../../spec';
import { OFFLINE_CDK_ENV, OFFLINE_SYNTH_COMMAND } from '../offline-cdk';

type JobStep = github.workflows.JobStep;

/** The hosted runner every generated job uses. */
export const RUNNER = ['ubuntu-latest'];

/** Where the offline synth writes, and the command that keeps it offline and quiet. */
export const CDK_OUT = 'cdk.out';
export const OFFLINE_SYNTH = `npx ${OFFLINE_SYNTH_COMMAND}`;
export { OFFLINE_CDK_ENV };

export interface Artifact {
  /** The artifact name in the workflow run. */
  readonly name: string;
  /** The file or directory uploaded, relative to the workspace. */
  readonly path: string;
  /** Where a downloading job puts it. */
  readonly downloadTo: string;
  /** upload-artifact's if-no-files-found. @default 'error' */
  readonly ifNoFilesFound?: 'error' | 'warn' | 'ignore';
  /** How long GitHub keeps it. @default ARTIFACT_RETENTION_DAYS */
  readonly retentionDays?: number;
}

/** How long run artifacts are kept when they are inputs to the same run only (scans, coverage). */
export const ARTIFACT_RETENTION_DAYS = 7;
/**
 * How long a release (its assembly and manifest) is kept: the window in which rollback.yml can deploy it again.
 * 90 is upload-artifact's documented maximum "unless changed from the repository settings page"; a repository
 * or organisation limit below it shortens the retention to that limit and the upload goes on
 * (https://github.com/actions/upload-artifact/blob/v7.0.0/action.yml, retention-days).
 */
export const RELEASE_RETENTION_DAYS = 90;

/** What the build job hands to later jobs. */
export const ARTIFACTS = {
  /** The synthesized cloud assembly, zipped: CodePipeline's source object. */
  cloudAssembly: { name: 'cloud-assembly', path: 'cloud-assembly.zip', downloadTo: '.', retentionDays: RELEASE_RETENTION_DAYS },
  /** What a release is (the image by digest, the commit, the assembly's digest, the stages): every stage deploys it. */
  releaseManifest: { name: 'release-manifest', path: 'release-manifest.json', downloadTo: '.', retentionDays: RELEASE_RETENTION_DAYS },
  /** jest's lcov report, where sonar-project.properties points the scanner. */
  coverage: { name: 'coverage', path: 'coverage/lcov.info', downloadTo: 'coverage' },
  /** The sources packaged for Veracode's pipeline scan. */
  scanArtifact: { name: 'veracode-scan-artifact', path: 'veracode-scan.zip', downloadTo: '.' },
  /** Veracode's findings as SARIF, kept whether or not code scanning receives them. */
  veracodeSarif: { name: 'veracode-sarif', path: 'veracode-results.sarif', downloadTo: '.' },
} as const satisfies Record<string, Artifact>;

export function checkoutStep(options: { fetchDepth?: number; ref?: string; path?: string } = {}): JobStep {
  return {
    id: options.path ? `checkout-${options.path.replace(/[^A-Za-z0-9_-]/g, '-').replace(/^-+/, '')}` : 'checkout',
    name: options.path ? `Check out ${options.ref ?? 'the same commit'} into ${options.path}` : 'Check out',
    uses: pinnedUses('checkout'),
    with: {
      // No job pushes; the token must not outlive the checkout step.
      'persist-credentials': false,
      ...(options.fetchDepth !== undefined ? { 'fetch-depth': options.fetchDepth } : {}),
      ...(options.ref ? { ref: options.ref } : {}),
      ...(options.path ? { path: options.path } : {}),
    },
  };
}

export function setupPythonStep(version: string): JobStep {
  return { id: 'setup-python', name: `Set up Python ${version}`, uses: pinnedUses('setupPython'), with: { 'python-version': version } };
}

export function setupNodeStep(spec: Pick<ServiceSpec, 'pipeline'>, lockFiles: readonly string[] = ['package-lock.json']): JobStep {
  return {
    id: 'setup-node',
    name: `Set up Node.js ${spec.pipeline.nodeVersion}`,
    uses: pinnedUses('setupNode'),
    with: { 'node-version': spec.pipeline.nodeVersion, 'cache': 'npm', 'cache-dependency-path': lockFiles.join('\n') },
  };
}

export function npmCiStep(workingDirectory?: string): JobStep {
  return {
    id: workingDirectory ? `install-${workingDirectory.replace(/[^A-Za-z0-9_-]/g, '-').replace(/^-+/, '')}` : 'install',
    name: workingDirectory ? `Install dependencies (${workingDirectory})` : 'Install dependencies',
    run: 'npm ci --no-audit --no-fund',
    ...(workingDirectory ? { workingDirectory } : {}),
  };
}

export function uploadArtifactStep(artifact: Artifact): JobStep {
  return {
    id: `upload-${artifact.name}`,
    name: `Upload ${artifact.name}`,
    uses: pinnedUses('uploadArtifact'),
    with: {
      'name': artifact.name,
      'path': artifact.path,
      'if-no-files-found': artifact.ifNoFilesFound ?? 'error',
      'retention-days': artifact.retentionDays ?? ARTIFACT_RETENTION_DAYS,
      // A re-run of the job uploads the same name again; without overwrite upload-artifact v4+ refuses (409 Conflict).
      'overwrite': true,
    },
  };
}

/**
 * Downloads an artifact of this run, or of the run `fromRun` names (an expression). Another run's artifacts need
 * a token with actions: read ("Download Artifacts from other Workflow Runs or Repositories",
 * https://github.com/actions/download-artifact/blob/v8.0.1/README.md); v8 fails on a digest mismatch by default.
 */
export function downloadArtifactStep(artifact: Artifact, options: { fromRun?: string } = {}): JobStep {
  return {
    id: `download-${artifact.name}`,
    name: options.fromRun ? `Download ${artifact.name} of the earlier run` : `Download ${artifact.name}`,
    uses: pinnedUses('downloadArtifact'),
    with: {
      name: artifact.name,
      path: artifact.downloadTo,
      ...(options.fromRun ? { 'run-id': options.fromRun, 'github-token': '${{ github.token }}' } : {}),
    },
  };
}

/** Which role a job assumes: the image job pushes with the image-push role, the deploy job with the deploy role, configure-hosts with the hosts role. */
export type AwsRole = 'image-push' | 'deploy' | 'hosts';

const ROLE_VARIABLE = {
  'image-push': (spec: ServiceSpec) => spec.pipeline.imagePushRoleVariable,
  'deploy': (spec: ServiceSpec) => spec.pipeline.deployRoleVariable,
  'hosts': (spec: ServiceSpec) => spec.pipeline.hostsRoleVariable,
} as const satisfies Record<AwsRole, (spec: ServiceSpec) => string>;

/** How long each role's credentials are asked for; absent, configure-aws-credentials' own one hour. */
const ROLE_DURATION_SECONDS: Partial<Record<AwsRole, (spec: ServiceSpec) => number>> = {
  // The deploy wait plus the stop window; the deploy role's MaxSessionDuration is the same number.
  deploy: (spec) => spec.pipeline.deploySessionSeconds,
  hosts: () => CONFIGURE_HOSTS_SESSION_SECONDS,
};

/**
 * OIDC credentials for one of the access stack's roles; the ARN is a GitHub variable set once from the
 * stack's output: the image-push role's a repository variable, each stage's deploy and hosts roles
 * variables of the stage's Environment (same names, one value per Environment). The account id is left unmasked (configure-aws-credentials' own default): the runner
 * drops any job output containing a masked value ("Skip output ... since it may contain secret",
 * actions/runner JobExtension.cs), and AWS does not treat account ids as secrets.
 */
export function awsCredentialsStep(spec: ServiceSpec, role: AwsRole, region: string = spec.region): JobStep {
  const variable = ROLE_VARIABLE[role](spec);
  const duration = ROLE_DURATION_SECONDS[role];
  return {
    id: 'aws-credentials',
    name: `Assume the ${role} role (OIDC, vars.${variable})`,
    uses: pinnedUses('configureAwsCredentials'),
    with: {
      'role-to-assume': `\${{ vars.${variable} }}`,
      'aws-region': region,
      // At most 23 + 1 + role + 1 + run id characters, well inside IAM's 64.
      'role-session-name': `${spec.serviceName}-${role}-\${{ github.run_id }}`,
      'mask-aws-account-id': false,
      ...(duration ? { 'role-duration-seconds': duration(spec) } : {}),
    },
  };
}

/** A buildx builder with the docker-container driver: the default docker driver cannot export a build cache. */
export function setupBuildxStep(): JobStep {
  return { id: 'setup-buildx', name: 'Set up a buildx builder that can export a cache', uses: pinnedUses('setupBuildx') };
}

/** The `if:` that limits a job to the branches allowed to deploy (spec.github.branches). */
export function deployBranchCondition(spec: Pick<ServiceSpec, 'github'>): string {
  return spec.github.branches.map((branch) => `github.ref == 'refs/heads/${branch}'`).join(' || ');
}
