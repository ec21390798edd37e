/**
 * sonar-scan: read the inputs → run the scanner (or not) → read
 * report-task.txt → wait for that analysis → judge and report the quality
 * gate. Throws on every failure; `main.ts` alone turns that into a failed job.
 */
import { resolve } from 'path';
import { writeCaFile } from './ca-certificate';
import { SonarInputs, readSonarInputs } from './inputs';
import { GateResult, describeCondition, failedConditions, gateStatus, judgeGate, waitForAnalysis } from './quality-gate';
import { ReportTask, readReportTask } from './report-task';
import { ScannerInvocation, resolveScanner, runScanner, scannerInvocation } from './scanner';
import { SonarApi } from './sonar-api';
import { gateSummary } from './summary';
import { ActionError } from '../../shared/errors';
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

export async function runSonarScan(environment: SonarScanEnvironment): Promise<SonarScanResult> {
  const { runner, env } = environment;
  const cwd = environment.cwd ?? process.cwd();
  const inputs = readSonarInputs(new Inputs(runner), runner, env);
  if (inputs.runScanner) await scan(inputs, environment, cwd);
  const report = readReport(inputs, runner, cwd);
  if (!inputs.waitForGate) {
    runner.info(`Analysis submitted as task ${report.ceTaskId}; not waiting for the quality gate (wait-for-quality-gate: false). ${report.dashboardUrl}`);
    return { ceTaskId: report.ceTaskId };
  }
  const gate = await waitForGate(inputs, environment, report);
  await reportGate(runner, report, gate);
  const verdict = judgeGate(gate, inputs.allowNoGate);
  if (!verdict.pass) throw new ActionError(verdict.reason!);
  return { ceTaskId: report.ceTaskId, gate };
}

async function scan(inputs: SonarInputs, environment: SonarScanEnvironment, cwd: string): Promise<void> {
  const { runner, env } = environment;
  const caFile = inputs.certificates ? writeCaFile(inputs.certificates, env.RUNNER_TEMP || undefined) : undefined;
  const script = (environment.resolveScanner ?? resolveScanner)(cwd);
  const { hostUrl, token, projectKey, organization, extraArgs } = inputs;
  const invocation = scannerInvocation({ hostUrl, token, projectKey, organization, extraArgs, caFile }, script, env, cwd);
  runner.startGroup(`SonarScanner ${invocation.args.join(' ')}`);
  try {
    // The scanner (and the plugins and build output it echoes) is not ours: none of its lines may act as a workflow command.
    await withCommandsStopped(runner, () => (environment.scanner ?? runScanner)(invocation, (line) => runner.info(line), environment.signal));
  } finally {
    runner.endGroup();
  }
}

/** The scanner's report, checked against what the inputs asked for; its task id and dashboard go out at once. */
function readReport(inputs: SonarInputs, runner: Runner, cwd: string): ReportTask {
  const { reportFile, projectKey, hostUrl } = inputs;
  const report = readReportTask(resolve(cwd, reportFile), reportFile, inputs.runScanner);
  runner.setOutput('ce-task-id', report.ceTaskId);
  runner.setOutput('dashboard-url', report.dashboardUrl);
  if (projectKey && report.projectKey !== projectKey) {
    throw new ActionError(`${reportFile} is for project '${report.projectKey}', not project-key '${projectKey}'; it may be a stale report from another analysis.`);
  }
  if (hostUrl !== undefined && new URL(report.serverUrl).origin !== new URL(hostUrl).origin) {
    throw new ActionError(`${reportFile} says the analysis went to ${report.serverUrl}, but host-url is ${hostUrl}; the token is only sent to host-url. Set host-url to ${report.serverUrl}.`);
  }
  return report;
}

async function waitForGate(inputs: SonarInputs, environment: SonarScanEnvironment, report: ReportTask): Promise<GateResult> {
  const send = (environment.makeSend ?? ((ca) => nodeHttpSend({ extraCaPem: ca, userAgent: 'slipway-sonar-scan' })))(inputs.certificates?.join('\n'));
  const api = new SonarApi(report.serverUrl, inputs.token, send);
  const { clock, sleep, random, signal, runner } = environment;
  const deps = { api, clock, sleep, random, signal, log: (m: string) => runner.info(m) };
  runner.info(`Waiting up to ${inputs.timeoutSeconds}s for background task ${report.ceTaskId} of ${report.projectKey}`);
  const analysisId = await waitForAnalysis(deps, report.ceTaskId, inputs.timeoutSeconds * 1000, inputs.pollSeconds * 1000);
  const projectStatus = await api.projectStatus(analysisId);
  return { status: gateStatus(projectStatus), analysisId, conditions: projectStatus.conditions };
}

async function reportGate(runner: Runner, report: ReportTask, gate: GateResult): Promise<void> {
  runner.setOutput('quality-gate-status', gate.status);
  await gateSummary(gate, report.projectKey, report.dashboardUrl).write(runner);
  runner.info(`Quality gate of ${report.projectKey} (analysis ${gate.analysisId}): ${gate.status}. ${report.dashboardUrl}`);
  for (const c of failedConditions(gate.conditions)) {
    const line = `${c.status}: ${describeCondition(c)} (metric ${c.metricKey}, comparator ${c.comparator}, threshold ${c.errorThreshold ?? '-'}, actual ${c.actualValue ?? '-'})`;
    if (c.status === 'ERROR') runner.error(line, { title: 'Sonar quality gate' });
    else runner.warning(line, { title: 'Sonar quality gate' });
  }
  if (gate.status === 'WARN') runner.warning('the Sonar quality gate passed with warnings (WARN).', { title: 'Sonar quality gate' });
}
