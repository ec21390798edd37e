/**
 * The real @sonar/scan (from this repository's node_modules) run by the
 * action's scanner runner against the local Sonar server: bootstrap, engine
 * download and checksum, properties on stdin, analysis submitted.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join, resolve } from 'path';
import { EngineRecord, installFakeEngine } from './fake-engine';
import { SonarServer, TEST_TOKEN } from './sonar-server';
import { ActionError } from '../../../actions/shared/errors';
import { resolveScanner, runScanner, scannerInvocation } from '../../../actions/sonar-scan/src/scanner';

const REPO = resolve(__dirname, '../../..');
let server: SonarServer;
let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'sonar-scanner-'));
  mkdirSync(join(work, 'home'));
});
afterEach(async () => {
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
});

function invocation(token: string, extraArgs: string[] = []) {
  const java = installFakeEngine(work);
  const env = {
    PATH: `${dirname(process.execPath)}:${process.env.PATH}`,
    HOME: join(work, 'home'),
    FAKE_ENGINE_RECORD: join(work, 'engine.json'),
    INPUT_TOKEN: token,
  };
  return scannerInvocation(
    { hostUrl: server.url, token, projectKey: 'svc', extraArgs: [`-Dsonar.scanner.javaExePath=${java}`, `-Dsonar.projectBaseDir=${work}`, ...extraArgs] },
    resolveScanner(REPO),
    env,
    work,
  );
}

describe('the real @sonar/scan', () => {
  test('is resolved from the workspace', () => {
    expect(resolveScanner(REPO)).toMatch(/node_modules\/@sonar\/scan\/bin\/sonar-scanner\.js$/);
  });

  test('a workspace without it fails saying to run npm ci', () => {
    expect(() => resolveScanner(work)).toThrow(new ActionError(
      `@sonar/scan is not installed under ${work}: run 'npm ci' before this step (the Slipway template lists it in devDependencies), or set run-scanner: false if the build already ran a scanner.`,
    ));
  });

  test('bootstraps from the server, gets the token by environment only, and submits an analysis', async () => {
    server = await new SonarServer({}).start();
    const inv = invocation(TEST_TOKEN, ['-Dsonar.projectName=My service']);
    expect(inv.args.join(' ')).not.toContain(TEST_TOKEN);
    expect(inv.env.INPUT_TOKEN).toBeUndefined();
    const lines: string[] = [];
    await runScanner(inv, (l) => lines.push(l));
    const record = JSON.parse(readFileSync(join(work, 'engine.json'), 'utf8')) as EngineRecord;
    // The engine got the token in its stdin properties, never in its argv.
    expect(record.props['sonar.token']).toBe(TEST_TOKEN);
    expect(record.argv.join(' ')).not.toContain(TEST_TOKEN);
    expect(record.argv.slice(-2)[0]).toBe('-jar');
    expect(record.props).toMatchObject({ 'sonar.host.url': server.url, 'sonar.projectKey': 'svc', 'sonar.projectName': 'My service' });
    // Every request the scanner made to the API carried the token.
    const api = server.requests.filter((r) => r.url.startsWith('/api/v2/') || r.url.startsWith('/api/ce/'));
    expect(api.map((r) => r.url)).toEqual(expect.arrayContaining(['/api/v2/analysis/version', '/api/v2/analysis/engine', '/api/ce/submit?projectKey=svc']));
    expect(api.every((r) => r.authorization === `Bearer ${TEST_TOKEN}`)).toBe(true);
    expect(readFileSync(join(work, '.scannerwork', 'report-task.txt'), 'utf8')).toContain('ceTaskId=AY1-task');
    expect(lines.join('\n')).toContain('ANALYSIS SUCCESSFUL');
  });

  test('a refused token makes the scanner exit non-zero, which fails', async () => {
    server = await new SonarServer({ token: 'squ_other' }).start();
    await expect(runScanner(invocation(TEST_TOKEN), () => undefined)).rejects.toThrow(/the SonarScanner exited with code [1-9]\d*; its output above says why/);
  });
});

describe('scannerInvocation hardening', () => {
  const base = {
    PATH: '/usr/bin',
    INPUT_TOKEN: 'squ_input',
    ACTIONS_RUNTIME_TOKEN: 'runtime-token',
    ACTIONS_ID_TOKEN_REQUEST_URL: 'https://token.actions.example/id',
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'id-request-token',
    ACTIONS_RESULTS_URL: 'https://results.example/',
  };

  test('the scanner inherits neither the runtime token nor the OIDC request pair (nor the inputs)', () => {
    const inv = scannerInvocation({ hostUrl: 'https://sonar.example', token: 'squ_x', extraArgs: [] }, 'scan.js', base, '/w');
    expect(Object.keys(inv.env).sort()).toEqual(['ACTIONS_RESULTS_URL', 'PATH', 'SONAR_HOST_URL', 'SONAR_TOKEN']);
  });

  test('without host-url no -Dsonar.host.url and no SONAR_HOST_URL: the project configuration decides, never a default', () => {
    const inv = scannerInvocation({ token: 'squ_x', projectKey: 'svc', extraArgs: [] }, 'scan.js', base, '/w');
    expect(inv.args).toEqual(['-Dsonar.projectKey=svc']);
    expect(inv.env.SONAR_HOST_URL).toBeUndefined();
    const given = scannerInvocation({ hostUrl: 'https://sonar.example', token: 'squ_x', extraArgs: [] }, 'scan.js', base, '/w');
    expect(given.args).toEqual(['-Dsonar.host.url=https://sonar.example']);
  });
});
