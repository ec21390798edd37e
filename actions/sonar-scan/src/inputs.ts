/** The sonar-scan action's inputs, parsed, checked and (the token) masked before anything runs. */
import { scannerArgs } from './args';
import { parseCaCertificates } from './ca-certificate';
import { InputError } from '../../shared/errors';
import { Inputs } from '../../shared/inputs';
import { Runner } from '../../shared/runner';

export interface SonarInputs {
  readonly token: string;
  /** Only when given: otherwise the scanner's own configuration decides. */
  readonly hostUrl?: string;
  readonly projectKey?: string;
  readonly organization?: string;
  readonly extraArgs: readonly string[];
  readonly runScanner: boolean;
  readonly reportFile: string;
  readonly waitForGate: boolean;
  readonly timeoutSeconds: number;
  readonly pollSeconds: number;
  readonly allowNoGate: boolean;
  /** PEM certificates trusted in addition to the bundled roots. */
  readonly certificates?: readonly string[];
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** The token first, so it is masked before anything else is logged; the input wins over SONAR_TOKEN. */
function readToken(inputs: Inputs, runner: Pick<Runner, 'setSecret'>, env: NodeJS.ProcessEnv): string {
  const fromInput = inputs.secret('token');
  if (fromInput) return fromInput;
  const fromEnv = (env.SONAR_TOKEN ?? '').trim();
  if (!fromEnv) {
    throw new InputError('token', "input 'token' is required (or set SONAR_TOKEN in the environment), e.g. 'token: ${{ secrets.SONAR_TOKEN }}'.");
  }
  runner.setSecret(fromEnv);
  return fromEnv;
}

/** Optional, with no default: a SonarCloud default would override the project's own sonar.host.url. */
function readHostUrl(inputs: Inputs): string | undefined {
  const hostUrl = inputs.optional('host-url')?.replace(/\/+$/, '');
  if (hostUrl !== undefined && !isHttpUrl(hostUrl)) {
    throw new InputError('host-url', `input 'host-url' must be an http(s) URL; got '${hostUrl}'. Write e.g. 'host-url: https://sonarcloud.io'.`);
  }
  return hostUrl;
}

export function readSonarInputs(inputs: Inputs, runner: Pick<Runner, 'setSecret'>, env: NodeJS.ProcessEnv): SonarInputs {
  const token = readToken(inputs, runner, env);
  const caPem = inputs.optional('ca-certificate');
  return {
    token,
    hostUrl: readHostUrl(inputs),
    projectKey: inputs.optional('project-key'),
    organization: inputs.optional('organization'),
    extraArgs: scannerArgs(inputs.string('args', '')),
    runScanner: inputs.boolean('run-scanner', true),
    reportFile: inputs.string('report-task-file', '.scannerwork/report-task.txt'),
    waitForGate: inputs.boolean('wait-for-quality-gate', true),
    timeoutSeconds: inputs.integer('quality-gate-timeout-seconds', { default: 300, min: 1, max: 6 * 3600 }),
    pollSeconds: inputs.integer('poll-interval-seconds', { default: 5, min: 1, max: 300 }),
    allowNoGate: inputs.boolean('allow-no-quality-gate', false),
    certificates: caPem ? parseCaCertificates(caPem) : undefined,
  };
}
