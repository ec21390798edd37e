/** The committed bundle, run as the runner runs it (`node dist/index.js` with INPUT_*), against the local API. */
import type { ChildProcess } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { PipelineScanServer, ScanScenario, TEST_API_ID, TEST_API_KEY, apiFinding, findingsDocument } from './pipeline-scan-server';
import { outputsTheRunnerWouldDrop, registeredMasks } from '../support/masks';
import { BundleRun, runBundle, signalOnOutput } from '../support/run-bundle';

const BUNDLE = resolve(__dirname, '../../../actions/veracode-scan/dist/index.js');

let server: PipelineScanServer;
let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'veracode-e2e-'));
  writeFileSync(join(work, 'app.zip'), Buffer.alloc(3000, 1));
});
afterEach(async () => {
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
});

/** Runs the committed bundle in the workspace; `log` is what it printed (stdout, then stderr). */
async function run(inputs: Record<string, string>, options: { started?: (child: ChildProcess) => void } = {}): Promise<BundleRun & { log: string }> {
  const result = await runBundle(BUNDLE, { inputs, cwd: work, ...options });
  return { ...result, log: `${result.stdout}${result.stderr}` };
}

async function scenario(s: ScanScenario): Promise<Record<string, string>> {
  server = await new PipelineScanServer({ segmentSize: 1000, statuses: ['SUCCESS'], ...s }).start();
  return { 'api-id': TEST_API_ID, 'api-key': TEST_API_KEY, 'file': 'app.zip', 'api-base-url': server.baseUrl, 'poll-interval-seconds': '1' };
}

describe('veracode-scan bundle end to end', () => {
  test('a clean scan passes: exit 0, outputs, results and a SARIF file', async () => {
    const inputs = await scenario({ findings: findingsDocument('x', [apiFinding({ severity: 2, cwe: 117, file: 'src/log.js', line: 3 })]) });
    const { code, log: stdout, outputs, summary } = await run(inputs);
    expect(stdout).not.toContain('::error::');
    expect(code).toBe(0);
    expect(outputs).toMatchObject({ 'scan-id': [...server.scans.keys()][0], 'low-count': '1', 'blocking-count': '0', 'sarif-file': 'veracode-results.sarif' });
    expect(JSON.parse(readFileSync(join(work, 'veracode-results.sarif'), 'utf8')).version).toBe('2.1.0');
    expect([...server.scans.values()][0].segments).toHaveLength(3);
    expect(server.requests.every((r) => r.authorized)).toBe(true);
    expect(summary).toContain('passed');
    // The runner drops a job output that contains a masked value: none may.
    expect(registeredMasks(stdout)).toEqual(expect.arrayContaining([TEST_API_ID, TEST_API_KEY]));
    expect(outputsTheRunnerWouldDrop(outputs, registeredMasks(stdout))).toEqual([]);
  });

  test('a high finding fails the job with exit 1 and the reason', async () => {
    const inputs = await scenario({ findings: findingsDocument('x', [apiFinding({ severity: 4, cwe: 79, file: 'src/view.js', line: 8 })]) });
    const { code, log: stdout } = await run(inputs);
    expect(code).toBe(1);
    expect(stdout).toMatch(/::error::1 Veracode finding\(s\) at or above 'high' remain/);
  });

  test('refused credentials fail closed (exit 1) with a message about them, never a pass', async () => {
    const inputs = await scenario({ apiKey: 'cd'.repeat(64) });
    const { code, log: stdout } = await run(inputs);
    expect(code).toBe(1);
    expect(stdout).toMatch(/::error::creating the pipeline scan for app.zip: Veracode refused the credentials \(HTTP 401/);
    expect(stdout).toContain(`::add-mask::${TEST_API_KEY}`);
  });

  test('a cancelled workflow (SIGINT) cancels the remote scan and fails the job', async () => {
    const inputs = await scenario({ statuses: ['STARTED'] });
    const { code, log: stdout } = await run(inputs, { started: signalOnOutput('Started scan', 'SIGINT') });
    expect(code).toBe(1);
    expect(stdout).toContain('::error::the workflow run was cancelled');
    expect(server.cancelled).toEqual([...server.scans.keys()]);
  });

  test('a scan that ends in FAILURE fails the job with the API message', async () => {
    const inputs = await scenario({ statuses: ['FAILURE'], message: 'Failed to extract the archive' });
    const { code, log: stdout } = await run(inputs);
    expect(code).toBe(1);
    expect(stdout).toMatch(/::error::scan .* ended with FAILURE: Failed to extract the archive/);
  });
});
