/** runVeracodeScan with a real runner over temp files, against the local Pipeline Scan API. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { PipelineScanServer, ScanScenario, TEST_API_ID, TEST_API_KEY, apiFinding, findingsDocument } from './pipeline-scan-server';
import { nodeHttpSend } from '../../../actions/shared/http';
import { ManualClock } from '../../../actions/shared/time';
import { runVeracodeScan } from '../../../actions/veracode-scan/src/action';
import { TestRunner, testRunner } from '../support/runner';

let server: PipelineScanServer;
let work: string;
let t: TestRunner;

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'veracode-action-'));
  writeFileSync(join(work, 'app.zip'), Buffer.alloc(2500, 7));
});
afterEach(async () => {
  await server?.stop();
  t?.cleanup();
  rmSync(work, { recursive: true, force: true });
});

const FINDINGS = [
  apiFinding({ severity: 5, cwe: 78, file: 'src/exec.js', line: 9, flawHash: 'a1' }),
  apiFinding({ severity: 4, cwe: 79, file: 'src/view.js', line: 20, flawHash: 'b2' }),
  apiFinding({ severity: 3, cwe: 89, file: 'src/db.js', line: 4 }),
  apiFinding({ severity: 0, cwe: 200 }),
];

async function run(inputs: Record<string, string>, scenario: ScanScenario = {}, env: NodeJS.ProcessEnv = {}) {
  server = await new PipelineScanServer({ findings: findingsDocument('x', FINDINGS), ...scenario }).start();
  t = testRunner({ 'api-id': TEST_API_ID, 'api-key': TEST_API_KEY, 'file': 'app.zip', 'api-base-url': server.baseUrl, ...inputs }, env);
  const clock = new ManualClock(Date.now());
  return runVeracodeScan({ runner: t.runner, env: t.env, cwd: work, send: nodeHttpSend(), clock, sleep: clock.sleep, random: () => 0 });
}

describe('veracode-scan action', () => {
  test('findings at or above high fail the job, listed in the log, annotations and summary; files and outputs written', async () => {
    await expect(run({})).rejects.toThrow(/2 Veracode finding\(s\) at or above 'high' remain after the baseline and CWE filters \(scan .*\)/);
    const outputs = t.outputs();
    expect(outputs).toMatchObject({
      'very-high-count': '1',
      'high-count': '1',
      'medium-count': '1',
      'low-count': '0',
      'very-low-count': '0',
      'informational-count': '1',
      'blocking-count': '2',
      'results-file': 'veracode-results.json',
      'sarif-file': 'veracode-results.sarif',
    });
    expect(outputs['scan-id']).toBe([...server.scans.keys()][0]);
    expect(t.log()).toContain('::error title=Veracode CWE-78,file=src/exec.js,line=9::Very High CWE-78');
    expect(t.summary()).toContain('| Very High | CWE-78 | Issue for CWE 78 | src/exec.js:9 |');
    expect(t.summary()).toContain('| High | CWE-79 | Issue for CWE 79 | src/view.js:20 |');
    const results = JSON.parse(readFileSync(join(work, 'veracode-results.json'), 'utf8'));
    expect(results.findings).toHaveLength(4);
    const sarif = JSON.parse(readFileSync(join(work, 'veracode-results.sarif'), 'utf8'));
    expect(sarif.runs[0].results).toHaveLength(4);
  });

  test('the secrets are masked before anything else is written', async () => {
    await expect(run({})).rejects.toThrow();
    const log = t.log();
    expect(log.startsWith(`::add-mask::${TEST_API_ID}\n::add-mask::${TEST_API_KEY}\n`)).toBe(true);
    expect(log.split(TEST_API_KEY)).toHaveLength(2);
  });

  test('fail-on-severity none passes, still writing counts and files', async () => {
    await expect(run({ 'fail-on-severity': 'none' })).resolves.toMatchObject({ blocking: 0 });
    expect(t.outputs()['blocking-count']).toBe('0');
    expect(t.summary()).toMatch(/passed/);
  });

  test('fail-on-cwe narrows the failing set', async () => {
    await expect(run({ 'fail-on-cwe': '79' })).rejects.toThrow(/^1 Veracode finding/);
  });

  test('a baseline with the known findings makes the job pass', async () => {
    writeFileSync(join(work, 'baseline.json'), JSON.stringify(findingsDocument('old', FINDINGS.slice(0, 2))));
    await expect(run({ 'baseline-file': 'baseline.json' })).resolves.toMatchObject({ blocking: 0 });
    expect(t.summary()).toContain('2 finding(s) matched the baseline');
  });

  test('credentials fall back to VERACODE_API_ID/KEY and are masked from there too', async () => {
    await expect(run({ 'api-id': '', 'api-key': '', 'fail-on-severity': 'none' }, {}, { VERACODE_API_ID: TEST_API_ID, VERACODE_API_KEY: TEST_API_KEY })).resolves.toBeDefined();
    expect(t.log()).toContain(`::add-mask::${TEST_API_KEY}`);
  });

  test('missing credentials name the input and the variable', async () => {
    await expect(run({ 'api-id': '' })).rejects.toThrow(/input 'api-id' is required \(or set VERACODE_API_ID in the environment\)/);
    expect(server.requests).toEqual([]);
  });

  test('a directory is packaged and uploaded as <name>.zip', async () => {
    mkdirSync(join(work, 'svc', 'src'), { recursive: true });
    writeFileSync(join(work, 'svc', 'package.json'), '{}');
    writeFileSync(join(work, 'svc', 'src', 'index.js'), 'module.exports = 1;');
    await run({ 'file': 'svc', 'fail-on-severity': 'none' });
    expect([...server.scans.values()][0].name).toBe('svc.zip');
    expect(t.log()).toContain('Packaged 2 source files from svc');
  });

  test('directory mode: SARIF locations and annotations are repository-relative (Veracode reports them relative to the package)', async () => {
    mkdirSync(join(work, 'services', 'svc', 'src'), { recursive: true });
    writeFileSync(join(work, 'services', 'svc', 'package.json'), '{}');
    await expect(run({ file: 'services/svc' }, {}, { GITHUB_WORKSPACE: work })).rejects.toThrow(/2 Veracode finding/);
    expect(t.log()).toContain('::error title=Veracode CWE-78,file=services/svc/src/exec.js,line=9::');
    const sarif = JSON.parse(readFileSync(join(work, 'veracode-results.sarif'), 'utf8'));
    type Located = { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] };
    const uris = sarif.runs[0].results.map((r: Located) => r.locations[0].physicalLocation.artifactLocation.uri);
    expect(uris).toEqual(['services/svc/src/exec.js', 'services/svc/src/view.js', 'services/svc/src/db.js', 'svc.zip']);
  });

  test('a missing file names the path', async () => {
    await expect(run({ file: 'nope.zip' })).rejects.toThrow(/input 'file' names 'nope.zip', which does not exist/);
  });

  test('timeout-minutes is bounded to 60', async () => {
    await expect(run({ 'timeout-minutes': '90' })).rejects.toThrow(/input 'timeout-minutes' must be between 1 and 60; got '90'/);
  });

  test('a findings answer without a findings array is a failure', async () => {
    await expect(run({}, { findings: { scan_id: 'x', scan_status: 'SUCCESS' } })).rejects.toThrow(/has no 'findings' array/);
  });
});
