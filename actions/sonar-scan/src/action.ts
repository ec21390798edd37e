/**
 * sonar-scan: run the scanner (or not), read report-task.txt, wait for the
 * analysis, judge the quality gate. Throws on every failure; `main.ts` alone
 * turns that into a failed job.
 */
import { resolve } from 'path';
import { scannerArgs } from './args';
import { parseCaCertificates, writeCaFile } from './ca-certificate';
import { GateResult, describeCondition, failedConditions, gateStatus, judgeGate, waitForAnalysis } from './quality-gate';
import { readReportTask } from './report-task';
import { ScannerInvocation, resolveScanner, runScanner, scannerInvocation } from './scanner';
import { SonarApi } from './sonar-api';
import { gateSummary } from './summary';
import { ActionError, InputError } from '../../shared/errors';
import { HttpSend, nodeHttpSend } from '../../shared/http';
import { Inputs } from '../../shared/inputs';
import { Runner } from '../../shared/runner';
import { Clock, Random, Sleep } from '../../shared/time';
import { withCommandsStopped } from '../../shared/untrusted-output';

export interface SonarScanEnvironment {
  readonly runner: Runner;
  readonly env: NodeJS.ProcessEnv;
  /** The workspace: relative paths resolve here and the scanner runs here. @default process.cwd() */
  readonly cwd?: string;
  /** Builds the transport once the CA input is known. @default nodeHttpSend */
  readonly makeSend?: (extraCaPem: string | undefined) => HttpSend;
  /** Runs the scanner. @default runScanner */
  readonly scanner?: (invocation: ScannerInvocation, log: (line: string) => void, signal?: AbortSignal) => Promise<void>;
  /** Where the scanner's bin script is. @default resolveScanner(cwd) */
  readonly resolveScanner?: (cwd: string) => string;
  readonly clock?: Clock;
  readonly sleep?: Sleep;
  readonly random?: Random;
  readonly signal?: AbortSignal;
}

export interface SonarScanResult {
  readonly ceTaskId: string;
  readonly gate?: GateResult;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
  } catch {
    return false;
  }
}

export async function runSonarScan(environment: SonarScanEnvironment): Promise<SonarScanResult> {
  const { runner, env } = environment;
  const cwd = environment.cwd ?? process.cwd();
  const inputs = new Inputs(runner);

  // The token first, so it is masked before anything else is logged.
  let token = inputs.secret('token');
  if (!token) {
    token = (env.SONAR_TOKEN ?? '').trim() || undefined;
    if (token) runner.setSecret(token);
  }
  if (!token) {
    throw new InputError('token', "input 'token' is required (or set SONAR_TOKEN in the environment), e.g. 'token: ${{ secrets.SONAR_TOKEN }}'.");
  }
  // Optional, with no default: without it the scanner's own sonar.host.url (or its SonarCloud default) decides,
  // and the quality gate is read from the server the report names.
  const hostUrl = inputs.optional('host-url')?.replace(/\/+$/, '');
  if (hostUrl !== undefined && !isHttpUrl(hostUrl)) {
    throw new InputError('host-url', `input 'host-url' must be an http(s) URL; got '${hostUrl}'. Write e.g. 'host-url: https://sonarcloud.io'.`);
  }
  const projectKey = inputs.optional('project-key');
  const organization = inputs.optional('organization');
  const extraArgs = scannerArgs(inputs.string('args', ''));
  const runScannerStep = inputs.boolean('run-scanner', true);
  const reportFile = inputs.string('report-task-file', '.scannerwork/report-task.txt');
  const waitForGate = inputs.boolean('wait-for-quality-gate', true);
  const timeoutSeconds = inputs.integer('quality-gate-timeout-seconds', { default: 300, min: 1, max: 6 * 3600 });
  const pollSeconds = inputs.integer('poll-interval-seconds', { default: 5, min: 1, max: 300 });
  const allowNoGate = inputs.boolean('allow-no-quality-gate', false);
  const caPem = inputs.optional('ca-certificate');
  const certificates = caPem ? parseCaCertificates(caPem) : undefined;

  if (runScannerStep) {
    const caFile = certificates ? writeCaFile(certificates, env.RUNNER_TEMP || undefined) : undefined;
    const script = (environment.resolveScanner ?? resolveScanner)(cwd);
    const invocation = scannerInvocation({ hostUrl, token, projectKey, organization, extraArgs, caFile }, script, env, cwd);
    runner.startGroup(`SonarScanner ${invocation.args.join(' ')}`);
    try {
      // The scanner (and the plugins and build output it echoes) is not ours: none of its lines may act as a workflow command.
      await withCommandsStopped(runner, () => (environment.scanner ?? runScanner)(invocation, (line) => runner.info(line), environment.signal));
    } finally {
      runner.endGroup();
    }
  }

  const report = readReportTask(resolve(cwd, reportFile), reportFile, runScannerStep);
  runner.setOutput('ce-task-id', report.ceTaskId);
  runner.setOutput('dashboard-url', report.dashboardUrl);
  if (projectKey && report.projectKey !== projectKey) {
    throw new ActionError(`${reportFile} is for project '${report.projectKey}', not project-key '${projectKey}'; it may be a stale report from another analysis.`);
  }
  if (hostUrl !== undefined && new URL(report.serverUrl).origin !== new URL(hostUrl).origin) {
    throw new ActionError(`${reportFile} says the analysis went to ${report.serverUrl}, but host-url is ${hostUrl}; the token is only sent to host-url. Set host-url to ${report.serverUrl}.`);
  }
  if (!waitForGate) {
    runner.info(`Analysis submitted as task ${report.ceTaskId}; not waiting for the quality gate (wait-for-quality-gate: false). ${report.dashboardUrl}`);
    return { ceTaskId: report.ceTaskId };
  }

  const send = (environment.makeSend ?? ((ca) => nodeHttpSend({ extraCaPem: ca, userAgent: 'slipway-sonar-scan' })))(certificates?.join('\n'));
  const api = new SonarApi(report.serverUrl, token, send);
  const { clock, sleep, random, signal } = environment;
  const deps = { api, clock, sleep, random, signal, log: (m: string) => runner.info(m) };
  runner.info(`Waiting up to ${timeoutSeconds}s for background task ${report.ceTaskId} of ${report.projectKey}`);
  const analysisId = await waitForAnalysis(deps, report.ceTaskId, timeoutSeconds * 1000, pollSeconds * 1000);
  const projectStatus = await api.projectStatus(analysisId);
  const gate: GateResult = { status: gateStatus(projectStatus), analysisId, conditions: projectStatus.conditions };
  runner.setOutput('quality-gate-status', gate.status);
  await gateSummary(gate, report.projectKey, report.dashboardUrl).write(runner);

  runner.info(`Quality gate of ${report.projectKey} (analysis ${analysisId}): ${gate.status}. ${report.dashboardUrl}`);
  for (const c of failedConditions(gate.conditions)) {
    const line = `${c.status}: ${describeCondition(c)} (metric ${c.metricKey}, comparator ${c.comparator}, threshold ${c.errorThreshold ?? '-'}, actual ${c.actualValue ?? '-'})`;
    if (c.status === 'ERROR') runner.error(line, { title: 'Sonar quality gate' });
    else runner.warning(line, { title: 'Sonar quality gate' });
  }
  if (gate.status === 'WARN') runner.warning('the Sonar quality gate passed with warnings (WARN).', { title: 'Sonar quality gate' });
  const verdict = judgeGate(gate, allowNoGate);
  if (!verdict.pass) throw new ActionError(verdict.reason!);
  return { ceTaskId: report.ceTaskId, gate };
}
