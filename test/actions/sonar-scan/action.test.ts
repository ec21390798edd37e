/** runSonarScan with a real runner over temp files against the local Sonar server; the scanner step injected. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join } from 'path';
import { SonarScenario, SonarServer, TEST_TOKEN, reportTaskText } from './sonar-server';
import { makeTlsFixture } from './tls-fixture';
import { HttpSend, nodeHttpSend } from '../../../actions/shared/http';
import { ManualClock } from '../../../actions/shared/time';
import { runSonarScan } from '../../../actions/sonar-scan/src/action';
import { ScannerInvocation } from '../../../actions/sonar-scan/src/scanner';
import { describeWithTools } from '../../support/real-tools';
import { TestRunner, testRunner } from '../support/runner';
import { commandsTheRunnerRuns } from '../support/workflow-commands';

let server: SonarServer;
let work: string;
let t: TestRunner;
let scans: ScannerInvocation[];

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'sonar-action-'));
  scans = [];
});
afterEach(async () => {
  await server?.stop();
  t?.cleanup();
  rmSync(work, { recursive: true, force: true });
});

const REPORT = '.scannerwork/report-task.txt';

function writeReport(serverUrl: string, path = REPORT): void {
  mkdirSync(dirname(join(work, path)), { recursive: true });
  writeFileSync(join(work, path), reportTaskText(serverUrl, 'AY1-task'));
}

interface RunOptions {
  env?: NodeJS.ProcessEnv;
  tls?: { key: string; cert: string };
  makeSend?: (ca: string | undefined) => HttpSend;
  /** Lines the scanner prints (as runScanner passes them to the log). */
  scannerSays?: string[];
}

async function run(inputs: Record<string, string>, scenario: SonarScenario = {}, options: RunOptions = {}) {
  server = await new SonarServer({ ceStatuses: ['PENDING', 'SUCCESS'], ...scenario }, options.tls).start();
  t = testRunner({ 'token': TEST_TOKEN, 'host-url': server.url, 'project-key': 'svc', ...inputs }, options.env);
  const clock = new ManualClock(0);
  return runSonarScan({
    runner: t.runner,
    env: t.env,
    cwd: work,
    clock,
    sleep: clock.sleep,
    random: () => 0,
    makeSend: options.makeSend,
    resolveScanner: () => '/opt/sonar-scan/bin/sonar-scanner.js',
    // The scanner step as the build would see it: an analysis submitted, report-task.txt written.
    scanner: async (invocation, log) => {
      scans.push(invocation);
      (options.scannerSays ?? []).forEach(log);
      writeReport(server.url);
    },
  });
}

describe('sonar-scan action', () => {
  test('OK: scanner run with the token in its environment only; outputs and summary set', async () => {
    await expect(run({ args: '-Dsonar.branch.name=main -Dsonar.projectName="My service"', organization: 'acme' })).resolves.toMatchObject({ gate: { status: 'OK' } });
    expect(scans).toHaveLength(1);
    expect(scans[0].args).toEqual([`-Dsonar.host.url=${server.url}`, '-Dsonar.projectKey=svc', '-Dsonar.organization=acme', '-Dsonar.branch.name=main', '-Dsonar.projectName=My service']);
    expect(scans[0].env.SONAR_TOKEN).toBe(TEST_TOKEN);
    expect(scans[0].args.join(' ')).not.toContain(TEST_TOKEN);
    expect(t.outputs()).toEqual({ 'ce-task-id': 'AY1-task', 'dashboard-url': `${server.url}/dashboard?id=svc`, 'quality-gate-status': 'OK' });
    expect(t.summary()).toContain('### Sonar quality gate for svc: OK');
    expect(t.log().startsWith(`::add-mask::${TEST_TOKEN}\n`)).toBe(true);
  });

  test("the scanner's output cannot act as workflow commands: logged between stop-commands and its token, never run", async () => {
    await run({}, {}, { scannerSays: ['INFO: Sensor JavaScript', '::add-mask::svc', '::error file=src/a.js::planted by a scanned file', '::set-env name=NODE_OPTIONS::--require /tmp/x'] });
    const ran = commandsTheRunnerRuns(t.log());
    expect(ran.filter((c) => c.message.includes('planted') || c.name === 'set-env' || c.message === 'svc')).toEqual([]);
    expect(ran.map((c) => c.name)).toEqual(expect.arrayContaining(['add-mask', 'group', 'endgroup']));
    expect(t.log()).toMatch(/::group::SonarScanner[^\n]*\n::stop-commands::([0-9a-f-]{36})\n[\s\S]*planted by a scanned file[\s\S]*\n::\1::\n::endgroup::/);
    expect(t.outputs()['quality-gate-status']).toBe('OK');
  });

  test('ERROR fails, listing every failed condition in the log and the summary', async () => {
    const conditions = [
      { status: 'ERROR', metricKey: 'new_coverage', comparator: 'LT', errorThreshold: '80', actualValue: '42.1' },
      { status: 'OK', metricKey: 'new_bugs', comparator: 'GT', errorThreshold: '0', actualValue: '0' },
      { status: 'ERROR', metricKey: 'new_duplicated_lines_density', comparator: 'GT', errorThreshold: '3', actualValue: '7.5' },
    ];
    await expect(run({}, { gate: 'ERROR', conditions })).rejects.toThrow(
      'the Sonar quality gate failed (ERROR) for analysis analysis-of-AY1-task: new_coverage is 42.1, must not be < 80; new_duplicated_lines_density is 7.5, must not be > 3.',
    );
    expect(t.log()).toContain('::error title=Sonar quality gate::ERROR: new_coverage is 42.1, must not be < 80 (metric new_coverage, comparator LT, threshold 80, actual 42.1)');
    expect(t.summary()).toContain('| ERROR | new\\_coverage | LT | 80 | 42.1 |');
    expect(t.summary()).not.toContain('new\\_bugs');
    expect(t.outputs()['quality-gate-status']).toBe('ERROR');
  });

  test('NONE fails with "no quality gate is assigned" unless allowed', async () => {
    await expect(run({}, { gate: 'NONE' })).rejects.toThrow(/^no quality gate is assigned to this project/);
    await server.stop();
    t.cleanup();
    await expect(run({ 'allow-no-quality-gate': 'true' }, { gate: 'NONE' })).resolves.toMatchObject({ gate: { status: 'NONE' } });
  });

  test('WARN passes with a warning', async () => {
    await expect(run({}, { gate: 'WARN' })).resolves.toBeDefined();
    expect(t.log()).toContain('::warning title=Sonar quality gate::the Sonar quality gate passed with warnings (WARN).');
  });

  test('a report naming another server is refused: the token only goes to host-url', async () => {
    writeReport('https://sonar.elsewhere.example', 'build/sonar/report-task.txt');
    await expect(run({ 'run-scanner': 'false', 'report-task-file': 'build/sonar/report-task.txt' })).rejects.toThrow(
      /says the analysis went to https:\/\/sonar.elsewhere.example, but host-url is http:\/\/127.0.0.1:\d+; the token is only sent to host-url/,
    );
    expect(server.requests).toEqual([]);
  });

  test('run-scanner false with the report present: only the gate is checked', async () => {
    server = await new SonarServer({ ceStatuses: ['SUCCESS'] }).start();
    const first = server;
    writeReport(first.url);
    // Reuse the same server for the run, so the report's serverUrl matches host-url.
    t = testRunner({ 'token': TEST_TOKEN, 'host-url': first.url, 'run-scanner': 'false' });
    const clock = new ManualClock(0);
    const result = await runSonarScan({ runner: t.runner, env: t.env, cwd: work, clock, sleep: clock.sleep, scanner: async () => { throw new Error('must not run'); } });
    expect(result.gate?.status).toBe('OK');
    expect(first.requests.map((r) => r.url)).toEqual(['/api/ce/task?id=AY1-task', '/api/qualitygates/project_status?analysisId=analysis-of-AY1-task']);
  });

  test('without host-url the scanner gets no host from the action, and the gate is read where its report says', async () => {
    const result = await run({ 'host-url': '' });
    expect(scans[0].args.some((a) => a.startsWith('-Dsonar.host.url'))).toBe(false);
    expect(scans[0].env.SONAR_HOST_URL).toBeUndefined();
    expect(result.gate?.status).toBe('OK');
  });

  test('a missing report fails with the path that was read', async () => {
    await expect(run({ 'run-scanner': 'false', 'report-task-file': 'nowhere/report-task.txt' })).rejects.toThrow(
      `the scanner report nowhere/report-task.txt (${join(work, 'nowhere/report-task.txt')}) does not exist.`,
    );
  });

  test('wait-for-quality-gate false: outputs from the report, no API calls', async () => {
    await expect(run({ 'wait-for-quality-gate': 'false' })).resolves.toEqual({ ceTaskId: 'AY1-task' });
    expect(server.requests).toEqual([]);
    expect(t.outputs()).toEqual({ 'ce-task-id': 'AY1-task', 'dashboard-url': `${server.url}/dashboard?id=svc` });
  });

  test('the token can come from SONAR_TOKEN, masked at once; with neither the input is named', async () => {
    await expect(run({ token: '' }, {}, { env: { SONAR_TOKEN: TEST_TOKEN } })).resolves.toBeDefined();
    expect(t.log().startsWith(`::add-mask::${TEST_TOKEN}\n`)).toBe(true);
    await server.stop();
    t.cleanup();
    await expect(run({ token: '' })).rejects.toThrow(/input 'token' is required \(or set SONAR_TOKEN in the environment\)/);
  });

  test('a refused token fails with a message about the token', async () => {
    await expect(run({}, { token: 'squ_different' })).rejects.toThrow(/answered HTTP 401: the Sonar token was refused/);
  });

  test('a report for another project is refused as stale', async () => {
    await expect(run({ 'project-key': 'other' })).rejects.toThrow(/is for project 'svc', not project-key 'other'/);
  });

  test('a gate that never finishes times out within quality-gate-timeout-seconds', async () => {
    await expect(run({ 'quality-gate-timeout-seconds': '20' }, { ceStatuses: ['IN_PROGRESS'] })).rejects.toThrow('did not finish within 20s; the last state seen was IN_PROGRESS.');
  });

  test('a host-url that is not an http(s) URL is refused with an example', async () => {
    await expect(run({ 'host-url': 'sonar.example.com' })).rejects.toThrow("input 'host-url' must be an http(s) URL; got 'sonar.example.com'. Write e.g. 'host-url: https://sonarcloud.io'.");
  });

  test('a ca-certificate that is not PEM is refused before anything runs', async () => {
    await expect(run({ 'ca-certificate': 'hello' })).rejects.toThrow(/input 'ca-certificate' holds no PEM certificate/);
    expect(scans).toEqual([]);
  });
});

describeWithTools('self-hosted server behind a private CA', { commands: ['openssl'] }, () => {
  const tls = makeTlsFixture();

  test('without ca-certificate the HTTPS gate check fails on the certificate', async () => {
    await expect(run({}, {}, { tls })).rejects.toThrow(/self-signed certificate|unable to verify|certificate/i);
  });

  test('with ca-certificate the gate is checked over HTTPS and the scanner gets NODE_EXTRA_CA_CERTS', async () => {
    await expect(run({ 'ca-certificate': tls.caPem }, {}, { tls })).resolves.toMatchObject({ gate: { status: 'OK' } });
    const caFile = scans[0].env.NODE_EXTRA_CA_CERTS!;
    expect(readFileSync(caFile, 'utf8')).toContain(tls.caPem.trim());
    expect(server.requests.map((r) => r.url)).toContain('/api/qualitygates/project_status?analysisId=analysis-of-AY1-task');
  });

  test('a certificate block that is not valid X.509 is named', async () => {
    const broken = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n';
    await expect(run({ 'ca-certificate': broken }, {}, { makeSend: () => nodeHttpSend() })).rejects.toThrow(/certificate #1 is not a valid X.509 certificate/);
  });
});
