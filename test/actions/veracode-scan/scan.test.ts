/** The Pipeline Scan client and scan flow against a local server speaking the documented API. */
import { randomBytes } from 'crypto';
import * as http from 'http';
import { AddressInfo } from 'net';
import { PipelineScanServer, ScanScenario, TEST_API_ID, TEST_API_KEY, apiFinding, findingsDocument } from './pipeline-scan-server';
import { ActionError, CancelledError, PollTimeoutError } from '../../../actions/shared/errors';
import { nodeHttpSend } from '../../../actions/shared/http';
import { ManualClock } from '../../../actions/shared/time';
import { RequestSigner } from '../../../actions/veracode-scan/src/hmac';
import { PipelineScanApi } from '../../../actions/veracode-scan/src/pipeline-scan-api';
import { runPipelineScan, segmentRanges, sha256Hex } from '../../../actions/veracode-scan/src/scan';

let server: PipelineScanServer;
afterEach(async () => server?.stop());

interface ScanOptions {
  timeoutMs?: number;
  key?: string;
  signal?: AbortSignal;
  onLog?: (m: string) => void;
}

async function scan(scenario: ScanScenario, bytes: Uint8Array = randomBytes(3000), options: ScanOptions = {}) {
  server = await new PipelineScanServer(scenario).start();
  const clock = new ManualClock(Date.now());
  const signer = new RequestSigner({ id: TEST_API_ID, key: options.key ?? TEST_API_KEY }, () => clock.now());
  const api = new PipelineScanApi(server.baseUrl, nodeHttpSend({ timeoutMs: 5_000 }), signer);
  const log: string[] = [];
  const ids: string[] = [];
  const run = runPipelineScan(
    { api, clock, sleep: clock.sleep, random: () => 0.5, signal: options.signal, log: (m) => { log.push(m); options.onLog?.(m); } },
    { bytes, binaryName: 'app.zip', timeoutMs: options.timeoutMs ?? 60_000, pollIntervalMs: 1_000, onScanId: (id) => ids.push(id) },
  );
  return { run, log, ids, clock };
}

describe('segments', () => {
  test('cover the file exactly, all but the last of equal size', () => {
    expect(segmentRanges(3000, 3)).toEqual([{ start: 0, end: 1000 }, { start: 1000, end: 2000 }, { start: 2000, end: 3000 }]);
    expect(segmentRanges(2049, 3)).toEqual([{ start: 0, end: 683 }, { start: 683, end: 1366 }, { start: 1366, end: 2049 }]);
    expect(segmentRanges(10, 1)).toEqual([{ start: 0, end: 10 }]);
  });
});

describe('pipeline scan against the local API', () => {
  test('SUCCESS: uploads a real file in several signed multipart segments and returns the findings', async () => {
    const bytes = randomBytes(5 * 1024 + 17);
    const findings = findingsDocument('x', [apiFinding({ severity: 4, cwe: 79, file: 'a.js', line: 2 })]);
    const { run, ids, log } = await scan({ segmentSize: 1024, statuses: ['PENDING', 'STARTED', 'SUCCESS'], findings }, bytes);
    const outcome = await run;
    const stored = [...server.scans.values()][0];
    expect(outcome).toEqual({ scanId: stored.id, findingsDocument: findings, segments: 6 });
    expect(ids).toEqual([stored.id]);
    expect(Buffer.concat(stored.segments).equals(bytes)).toBe(true);
    expect(stored.hash).toBe(sha256Hex(bytes));
    expect(server.requests.every((r) => r.authorized)).toBe(true);
    expect(server.requests.map((r) => `${r.method} ${r.path.replace(stored.id, 'ID')}`)).toEqual([
      'POST /pipeline_scan/v1/scans',
      ...[0, 1, 2, 3, 4, 5].map((n) => `PUT /pipeline_scan/v1/scans/ID/segments/${n}`),
      'PUT /pipeline_scan/v1/scans/ID',
      'GET /pipeline_scan/v1/scans/ID',
      'GET /pipeline_scan/v1/scans/ID',
      'GET /pipeline_scan/v1/scans/ID',
      'GET /pipeline_scan/v1/scans/ID/findings',
    ]);
    const segment = Math.ceil(bytes.length / 6);
    expect(log).toContain(`Uploaded segment 1/6 (${segment} bytes)`);
    expect(log).toContain(`Uploaded segment 6/6 (${bytes.length - 5 * segment} bytes)`);
  });

  test.each(['FAILURE', 'CANCELLED', 'TIMEOUT', 'USER_TIMEOUT'])('%s fails with the API message', async (status) => {
    const { run } = await scan({ statuses: ['STARTED', status], message: `engine said ${status.toLowerCase()}` });
    await expect(run).rejects.toThrow(new RegExp(`scan .* ended with ${status}: engine said ${status.toLowerCase()}`));
  });

  test('a failed status without a message still fails, saying so', async () => {
    const { run } = await scan({ statuses: ['FAILURE'] });
    await expect(run).rejects.toThrow(/ended with FAILURE \(the API gave no message\)/);
  });

  test('an unknown status fails closed, naming it', async () => {
    const { run } = await scan({ statuses: ['STARTED', 'EXPLODED'] });
    await expect(run).rejects.toThrow(/reports scan_status 'EXPLODED', which this action does not know; failing rather than guessing/);
  });

  test('findings answered 202 are waited for', async () => {
    const { run, clock } = await scan({ findingsNotReady: 3 });
    await run;
    const stored = [...server.scans.values()][0];
    expect(stored.findingsCalls).toBe(4);
    expect(clock.sleeps.filter((ms) => ms === 1_000).length).toBeGreaterThanOrEqual(4);
  });

  test('401 on create: a message about the credentials, and no scan id', async () => {
    const { run, ids } = await scan({}, undefined, { key: 'ab'.repeat(64) });
    await expect(run).rejects.toThrow(/creating the pipeline scan for app.zip: Veracode refused the credentials \(HTTP 401: .*Check that api-id and api-key/);
    expect(ids).toEqual([]);
  });

  test('403 mid-scan is an auth failure, not a pass', async () => {
    const { run } = await scan({ failures: [{ match: /^GET .*\/scans\/[^/]+$/, status: 403, times: 1 }] });
    await expect(run).rejects.toThrow(/reading the status of scan .*: Veracode refused the credentials \(HTTP 403/);
  });

  test('429 on every kind of call backs off with jitter and then carries on', async () => {
    const { run, log, clock } = await scan({
      failures: [
        { match: /^POST /, status: 429, times: 2 },
        { match: /segments\/1$/, status: 429, times: 1 },
        { match: /^PUT .*\/scans\/[^/]+$/, status: 429, times: 1 },
        { match: /^GET .*\/scans\/[^/]+$/, status: 429, times: 2 },
        { match: /findings$/, status: 429, times: 1 },
      ],
    });
    await run;
    expect(log.filter((l) => l.startsWith('Veracode asked us to slow down (HTTP 429)'))).toHaveLength(7);
    // Full jitter with random() = 0.5: interval + half of min(cap, interval × 2^n).
    expect(clock.sleeps.slice(0, 2)).toEqual([1_000 + 1_000, 1_000 + 2_000]);
  });

  test('a passing 5xx on a status or findings read is ridden out', async () => {
    const { run, log } = await scan({
      failures: [
        { match: /^GET .*\/scans\/[^/]+$/, status: 502, times: 2 },
        { match: /findings$/, status: 503, times: 1 },
      ],
    });
    await run;
    expect(log.filter((l) => /HTTP 50[23].*; retry [12] of 5 in/.test(l))).toHaveLength(3);
  });

  test('a 5xx on the call that creates the scan is not retried (it is not a read): it fails at once', async () => {
    const { run } = await scan({ failures: [{ match: /^POST /, status: 503, times: 1 }] });
    await expect(run).rejects.toThrow(/HTTP 503/);
  });

  test('a redirect is followed and the new request is signed afresh', async () => {
    const { run } = await scan({ redirectOnce: /^GET .*\/scans\/[^/]+$/ });
    await run;
    const moved = server.requests.filter((r) => r.path.startsWith('/moved/'));
    expect(moved).toHaveLength(1);
    expect(moved[0].authorized).toBe(true);
  });

  test('a scan that never finishes times out, naming the last state, and is cancelled', async () => {
    const { run } = await scan({ statuses: ['STARTED'] }, undefined, { timeoutMs: 30_000 });
    await expect(run).rejects.toThrow(PollTimeoutError);
    await expect(run).rejects.toThrow(/did not finish within 30s; the last state seen was STARTED/);
    expect(server.cancelled).toHaveLength(1);
  });

  test('findings that never become ready time out too', async () => {
    const { run } = await scan({ findingsNotReady: 1_000 }, undefined, { timeoutMs: 20_000 });
    await expect(run).rejects.toThrow(/the findings of scan .* did not finish within .*; the last state seen was results not ready \(HTTP 202\)/);
  });

  test('a workflow cancelled while waiting cancels the remote scan', async () => {
    const controller = new AbortController();
    const onLog = (m: string): void => { if (m.startsWith('Started scan')) controller.abort(); };
    const { run } = await scan({ statuses: ['STARTED'] }, undefined, { signal: controller.signal, onLog });
    await expect(run).rejects.toThrow(CancelledError);
    expect(server.cancelled).toHaveLength(1);
  });

  test('a workflow cancelled before the scan exists makes no API call at all', async () => {
    const controller = new AbortController();
    controller.abort();
    const { run } = await scan({}, undefined, { signal: controller.signal });
    await expect(run).rejects.toThrow(CancelledError);
    expect(server.requests).toEqual([]);
  });

  test('a server that stops answering fails the call after the request timeout', async () => {
    const silent = http.createServer(() => undefined);
    await new Promise<void>((done) => silent.listen(0, '127.0.0.1', done));
    try {
      const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/pipeline_scan/v1`;
      const api = new PipelineScanApi(url, nodeHttpSend({ timeoutMs: 200 }), new RequestSigner({ id: TEST_API_ID, key: TEST_API_KEY }));
      await expect(api.getScan('s1')).rejects.toThrow(/GET http:\/\/127.0.0.1:\d+\/pipeline_scan\/v1\/scans\/s1 got no complete answer within 0.2s/);
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });

  test('a create answer without binary_segments_expected means the scan could not start', async () => {
    const { run, ids } = await scan({ omitSegmentsExpected: true });
    await expect(run).rejects.toThrow(/could not start: the API did not say how many segments to upload/);
    expect(ids).toHaveLength(1);
  });

  test('a server error on upload fails with the status and body', async () => {
    const { run } = await scan({ failures: [{ match: /segments\/0$/, status: 500, times: 1, body: 'disk full' }] });
    await expect(run).rejects.toThrow(/uploading segment 0 of scan .*: Veracode answered HTTP 500: disk full/);
  });

  test('a start the server refuses fails with its message', async () => {
    const { run } = await scan({ failures: [{ match: /^PUT .*\/scans\/[^/]+$/, status: 400, times: 1, body: '{"message":"binary hash mismatch"}' }] });
    await expect(run).rejects.toThrow(ActionError);
    await expect(run).rejects.toThrow(/starting scan .*: Veracode answered HTTP 400: \{"message":"binary hash mismatch"\}/);
  });
});
