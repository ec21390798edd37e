/**
 * The Sonar and Veracode jobs: each runs our own action from ./actions on
 * what the build job produced, with secrets named by the spec.
 */
import { github } from 'projen';
import { pinnedUses } from './pinned-actions';
import { ARTIFACTS, RUNNER, checkoutStep, downloadArtifactStep, npmCiStep, setupNodeStep, uploadArtifactStep } from './steps';
import type { ServiceSpec } from '../../spec';

type Job = github.workflows.Job;

const READ = github.workflows.JobPermission.READ;
const WRITE = github.workflows.JobPermission.WRITE;

export const SONAR_TIMEOUT_MINUTES = 20;
/** The action's own limit is 30 minutes by default (60 at most); the job adds room for the upload. */
export const VERACODE_SCAN_TIMEOUT_MINUTES = 30;
export const VERACODE_TIMEOUT_MINUTES = VERACODE_SCAN_TIMEOUT_MINUTES + 10;

/** Where the Veracode action writes its SARIF, and what code scanning files it under. */
export const VERACODE_SARIF_FILE = ARTIFACTS.veracodeSarif.path;

export const SONAR_WORK_STEPS = { first: 'sonar', last: 'sonar' } as const;
export const VERACODE_WORK_STEPS = { first: 'veracode', last: `upload-${ARTIFACTS.veracodeSarif.name}` } as const;

/** The step that decides whether Sonar can run; its `run` output gates the rest of the job. */
const SONAR_TOKEN_STEP = 'sonar-token';
const SONAR_CAN_RUN = `steps.${SONAR_TOKEN_STEP}.outputs.run == 'true'`;

/**
 * Dependabot's pull requests get Dependabot secrets, not Actions secrets, so the token is empty there
 * (https://docs.github.com/en/code-security/dependabot/troubleshooting-dependabot/troubleshooting-dependabot-on-github-actions):
 * Sonar is skipped with a notice. For anyone else an empty token is a setup error and fails the job.
 */
function sonarTokenCheck(tokenSecret: string): string {
  return [
    'if [ "${TOKEN_SET}" = "true" ]; then',
    '  echo "run=true" >> "${GITHUB_OUTPUT}"',
    'elif [ "${ACTOR}" = "dependabot[bot]" ]; then',
    `  echo "::notice title=Sonar skipped::Dependabot pull requests receive no Actions secrets, so ${tokenSecret} is empty; the Sonar scan runs when the change reaches a branch of this repository."`,
    '  echo "run=false" >> "${GITHUB_OUTPUT}"',
    'else',
    `  echo "::error title=${tokenSecret} is not set::Add the repository secret ${tokenSecret} (SonarCloud → My Account → Security → Generate token)."`,
    '  exit 1',
    'fi',
  ].join('\n');
}

export function sonarJob(spec: ServiceSpec, options: { needs: string[]; if?: string }): Job {
  return {
    name: 'sonar',
    needs: options.needs,
    ...(options.if ? { if: options.if } : {}),
    runsOn: RUNNER,
    permissions: { contents: READ },
    timeoutMinutes: SONAR_TIMEOUT_MINUTES,
    steps: [
      {
        id: SONAR_TOKEN_STEP,
        name: `Check that ${spec.pipeline.secrets.sonarToken} is set`,
        env: { TOKEN_SET: `\${{ secrets.${spec.pipeline.secrets.sonarToken} != '' }}`, ACTOR: '${{ github.actor }}' },
        run: sonarTokenCheck(spec.pipeline.secrets.sonarToken),
      },
      // Full history: Sonar attributes new code and blame from it.
      { ...checkoutStep({ fetchDepth: 0 }), if: SONAR_CAN_RUN },
      // The action runs the SonarSource scanner (@sonar/scan) from the workspace's node_modules.
      { ...setupNodeStep(spec), if: SONAR_CAN_RUN },
      { ...npmCiStep(), if: SONAR_CAN_RUN },
      { ...downloadArtifactStep(ARTIFACTS.coverage), if: SONAR_CAN_RUN },
      {
        id: SONAR_WORK_STEPS.last,
        if: SONAR_CAN_RUN,
        name: 'Sonar scan and quality gate',
        uses: './actions/sonar-scan',
        with: {
          'host-url': spec.pipeline.sonar.hostUrl,
          'organization': spec.pipeline.sonar.organization,
          'project-key': spec.pipeline.sonar.projectKey,
          'token': `\${{ secrets.${spec.pipeline.secrets.sonarToken} }}`,
        },
      },
    ],
  };
}

export function veracodeJob(spec: ServiceSpec, options: { needs: string[] }): Job {
  // Findings matter most when the gate failed; skip only when there is no SARIF (the scan never ran).
  const whenSarif = `\${{ !cancelled() && hashFiles('${VERACODE_SARIF_FILE}') != '' }}`;
  const codeScanning = spec.pipeline.codeScanning;
  return {
    name: 'veracode',
    needs: options.needs,
    runsOn: RUNNER,
    // security-events: write to upload SARIF; actions: read lets code scanning read the run in private repos.
    permissions: codeScanning ? { contents: READ, securityEvents: WRITE, actions: READ } : { contents: READ },
    timeoutMinutes: VERACODE_TIMEOUT_MINUTES,
    steps: [
      checkoutStep(),
      downloadArtifactStep(ARTIFACTS.scanArtifact),
      {
        id: VERACODE_WORK_STEPS.first,
        name: 'Veracode pipeline scan',
        uses: './actions/veracode-scan',
        with: {
          'api-id': `\${{ secrets.${spec.pipeline.secrets.veracodeApiId} }}`,
          'api-key': `\${{ secrets.${spec.pipeline.secrets.veracodeApiKey} }}`,
          'file': ARTIFACTS.scanArtifact.path,
          'fail-on-severity': spec.pipeline.veracodeFailOnSeverity,
          'timeout-minutes': VERACODE_SCAN_TIMEOUT_MINUTES,
          'sarif-file': VERACODE_SARIF_FILE,
        },
      },
      // Code scanning is refused on private repositories without GitHub Advanced Security
      // (https://docs.github.com/en/code-security/code-scanning/troubleshooting-sarif-uploads/ghas-required): opt-in.
      ...(codeScanning
        ? [{
          id: 'upload-sarif',
          name: 'Upload the findings to code scanning',
          if: whenSarif,
          uses: pinnedUses('uploadSarif'),
          with: { sarif_file: VERACODE_SARIF_FILE, category: 'veracode' },
        }]
        : []),
      // The SARIF is always kept with the run, code scanning or not.
      { ...uploadArtifactStep(ARTIFACTS.veracodeSarif), if: whenSarif },
    ],
  };
}
