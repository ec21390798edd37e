/**
 * The committed bundle, run as the runner runs it (`node dist/index.js` with
 * INPUT_*), with the real @sonar/scan from the workspace's node_modules
 * against the local Sonar server.
 */
import type { ChildProcess } from 'child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join, resolve } from 'path';
import { EngineRecord, installFakeEngine } from './fake-engine';
import { SonarScenario, SonarServer, TEST_TOKEN } from './sonar-server';
import { outputsTheRunnerWouldDrop, registeredMasks } from '../support/masks';
import { BundleRun, runBundle, signalOnOutput } from '../support/run-bundle';

const REPO = resolve(__dirname, '../../..');
const BUNDLE = join(REPO, 'actions/sonar-scan/dist/index.js');

let server: SonarServer;
let work: string;
let java: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'sonar-e2e-'));
  mkdirSync(join(work, 'home'));
  writeFileSync(join(work, 'package.json'), '{"name":"svc","private":true}');
  // The workspace after `npm ci`: @sonar/scan resolvable from it.
  symlinkSync(join(REPO, 'node_modules'), join(work, 'node_modules'), 'dir');
  java = installFakeEngine(work);
});
afterEach(async () => {
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
});

/** Runs the committed bundle in the workspace after `npm ci`; `log` is what it printed (stdout, then stderr). */
async function run(inputs: Record<string, string>, options: { started?: (child: ChildProcess) => void } = {}): Promise<BundleRun & { log: string }> {
  const env: NodeJS.ProcessEnv = {
    // The scanner starts `node` from PATH: this one.
    PATH: `${dirname(process.execPath)}:${process.env.PATH}`,
    HOME: join(work, 'home'),
    RUNNER_TEMP: work,
    FAKE_ENGINE_RECORD: join(work, 'engine.json'),
  };
  const result = await runBundle(BUNDLE, { inputs, env, cwd: work, ...options });
  return { ...result, log: `${result.stdout}${result.stderr}` };
}

async function inputsFor(scenario: SonarScenario): Promise<Record<string, string>> {
  server = await new SonarServer({ ceStatuses: ['SUCCESS'], ...scenario }).start();
  return {
    'token': TEST_TOKEN,
    'host-url': server.url,
    'project-key': 'svc',
    'args': `-Dsonar.scanner.javaExePath=${java} -Dsonar.projectBaseDir=${work} -Dsonar.projectName="Slipway service"`,
    'poll-interval-seconds': '1',
  };
}

describe('sonar-scan bundle end to end', () => {
  test('scanner, background task and an OK gate: exit 0 with the outputs', async () => {
    const { code, log: stdout, outputs, summary } = await run(await inputsFor({}));
    expect(stdout).not.toContain('::error');
    expect(code).toBe(0);
    expect(outputs).toEqual({
      'ce-task-id': 'AY1-task', 'dashboard-url': `${server.url}/dashboard?id=svc`, 'quality-gate-status': 'OK',
    });
    const record = JSON.parse(readFileSync(join(work, 'engine.json'), 'utf8')) as EngineRecord;
    expect(record.props['sonar.projectName']).toBe('Slipway service');
    expect(record.argv.join(' ')).not.toContain(TEST_TOKEN);
    expect(stdout.split(TEST_TOKEN)).toHaveLength(2); // only in the add-mask command
    // The runner drops a job output that contains a masked value: none may.
    expect(registeredMasks(stdout)).toEqual([TEST_TOKEN]);
    expect(outputsTheRunnerWouldDrop(outputs, registeredMasks(stdout))).toEqual([]);
    expect(summary).toContain('Sonar quality gate for svc: OK');
  });

  test('a failed gate exits 1 naming the failed conditions', async () => {
    const conditions = [{ status: 'ERROR', metricKey: 'new_coverage', comparator: 'LT', errorThreshold: '80', actualValue: '12.5' }];
    const { code, log: stdout } = await run(await inputsFor({ gate: 'ERROR', conditions }));
    expect(code).toBe(1);
    expect(stdout).toContain('::error::the Sonar quality gate failed (ERROR) for analysis analysis-of-AY1-task: new_coverage is 12.5, must not be < 80.');
  });

  test('a refused token stops at the scanner with exit 1, never a pass', async () => {
    const { code, log: stdout } = await run(await inputsFor({ token: 'squ_someone_else' }));
    expect(code).toBe(1);
    expect(stdout).toContain('::error::the SonarScanner exited with code');
  });

  test('a failed background task exits 1 with its errorMessage', async () => {
    const { code, log: stdout } = await run(await inputsFor({ ceStatuses: ['FAILED'], errorMessage: 'Invalid report' }));
    expect(code).toBe(1);
    expect(stdout).toContain('::error::the Sonar background task AY1-task ended FAILED: Invalid report');
  });

  test('a cancelled workflow (SIGINT) while waiting for the gate fails the job', async () => {
    const { code, log: stdout } = await run(await inputsFor({ ceStatuses: ['IN_PROGRESS'] }), { started: signalOnOutput('Waiting up to', 'SIGINT') });
    expect(code).toBe(1);
    expect(stdout).toContain('::error::the workflow run was cancelled');
  });

  test('run-scanner false without a report exits 1 naming the path', async () => {
    const { code, log: stdout } = await run({ ...(await inputsFor({})), 'run-scanner': 'false' });
    expect(code).toBe(1);
    expect(stdout).toContain(`::error::the scanner report .scannerwork/report-task.txt (${join(work, '.scannerwork/report-task.txt')}) does not exist.`);
  });
});
