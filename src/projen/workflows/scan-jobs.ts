/**
 * The Sonar and Veracode jobs: each runs our own action from ./actions on
 * what the build job produced, with secrets named by the spec.
 */
import { github } from 'projen';
import { pinnedUses } from './pinned-actions';
import { ARTIFACTS, RUNNER, checkoutStep, downloadArtifactStep, npmCiStep, setupNodeStep } from './steps';
import type { ServiceSpec } from '../../spec';

type Job = github.workflows.Job;

const READ = github.workflows.JobPermission.READ;
const WRITE = github.workflows.JobPermission.WRITE;

export const SONAR_TIMEOUT_MINUTES = 20;
/** The action's own limit is 30 minutes by default (60 at most); the job adds room for the upload. */
export const VERACODE_SCAN_TIMEOUT_MINUTES = 30;
export const VERACODE_TIMEOUT_MINUTES = VERACODE_SCAN_TIMEOUT_MINUTES + 10;

/** Where the Veracode action writes its SARIF, and what code scanning files it under. */
export const VERACODE_SARIF_FILE = 'veracode-results.sarif';

export const SONAR_WORK_STEPS = { first: 'sonar', last: 'sonar' } as const;
export const VERACODE_WORK_STEPS = { first: 'veracode', last: 'upload-sarif' } as const;

export function sonarJob(spec: ServiceSpec, options: { needs: string[]; if?: string }): Job {
  return {
    name: 'sonar',
    needs: options.needs,
    ...(options.if ? { if: options.if } : {}),
    runsOn: RUNNER,
    permissions: { contents: READ },
    timeoutMinutes: SONAR_TIMEOUT_MINUTES,
    steps: [
      // Full history: Sonar attributes new code and blame from it.
      checkoutStep({ fetchDepth: 0 }),
      // The action runs the SonarSource scanner (@sonar/scan) from the workspace's node_modules.
      setupNodeStep(spec),
      npmCiStep(),
      downloadArtifactStep(ARTIFACTS.coverage),
      {
        id: SONAR_WORK_STEPS.first,
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
  return {
    name: 'veracode',
    needs: options.needs,
    runsOn: RUNNER,
    // security-events: write to upload SARIF; actions: read lets code scanning read the run in private repos.
    permissions: { contents: READ, securityEvents: WRITE, actions: READ },
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
      {
        id: VERACODE_WORK_STEPS.last,
        name: 'Upload the findings to code scanning',
        // Findings matter most when the gate failed; skip only when there is no SARIF (the scan never ran).
        if: `\${{ !cancelled() && hashFiles('${VERACODE_SARIF_FILE}') != '' }}`,
        uses: pinnedUses('uploadSarif'),
        with: { sarif_file: VERACODE_SARIF_FILE, category: 'veracode' },
      },
    ],
  };
}
