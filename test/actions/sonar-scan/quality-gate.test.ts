/** The Sonar Web API client and the gate logic against a local server. */
import { SonarScenario, SonarServer, TEST_TOKEN } from './sonar-server';
import { nodeHttpSend } from '../../../actions/shared/http';
import { ManualClock } from '../../../actions/shared/time';
import { describeCondition, gateStatus, judgeGate, waitForAnalysis } from '../../../actions/sonar-scan/src/quality-gate';
import { SonarApi } from '../../../actions/sonar-scan/src/sonar-api';

const servers: SonarServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

async function serve(scenario: SonarScenario): Promise<SonarServer> {
  const server = await new SonarServer(scenario).start();
  servers.push(server);
  return server;
}

async function wait(server: SonarServer, options: { token?: string; timeoutMs?: number; hostUrl?: string } = {}) {
  const api = new SonarApi(options.hostUrl ?? server.url, options.token ?? TEST_TOKEN, nodeHttpSend({ timeoutMs: 5_000 }));
  const clock = new ManualClock(0);
  const log: string[] = [];
  const analysisId = waitForAnalysis({ api, clock, sleep: clock.sleep, random: () => 0.5, log: (m) => log.push(m) }, 'T1', options.timeoutMs ?? 60_000, 1_000);
  return { api, analysisId, clock, log };
}

describe('background task', () => {
  test('PENDING and IN_PROGRESS wait; SUCCESS gives the analysis id', async () => {
    const server = await serve({ ceStatuses: ['PENDING', 'IN_PROGRESS', 'IN_PROGRESS', 'SUCCESS'] });
    const { analysisId, clock } = await wait(server);
    await expect(analysisId).resolves.toBe('analysis-of-T1');
    expect(clock.sleeps).toEqual([1_000, 1_000, 1_000]);
    expect(server.requests.every((r) => r.authorization === `Bearer ${TEST_TOKEN}`)).toBe(true);
  });

  test.each(['FAILED', 'CANCELED'])('%s fails with the task errorMessage', async (status) => {
    const server = await serve({ ceStatuses: ['IN_PROGRESS', status], errorMessage: 'Unsupported language in report' });
    await expect((await wait(server)).analysisId).rejects.toThrow(`the Sonar background task T1 ended ${status}: Unsupported language in report`);
  });

  test('an unknown task status fails closed, named', async () => {
    const server = await serve({ ceStatuses: ['ARCHIVED'] });
    await expect((await wait(server)).analysisId).rejects.toThrow(/has status 'ARCHIVED', which this action does not know; failing rather than guessing/);
  });

  test('SUCCESS without an analysisId cannot be judged, so it fails', async () => {
    const server = await serve({ ceStatuses: ['SUCCESS'], omitAnalysisId: true });
    await expect((await wait(server)).analysisId).rejects.toThrow(/succeeded but names no analysisId/);
  });

  test('a task that never finishes times out naming the last status', async () => {
    const server = await serve({ ceStatuses: ['IN_PROGRESS'] });
    await expect((await wait(server, { timeoutMs: 10_000 })).analysisId).rejects.toThrow('the Sonar background task T1 did not finish within 10s; the last state seen was IN_PROGRESS.');
  });

  test('401 fails with a message about the token', async () => {
    const server = await serve({});
    await expect((await wait(server, { token: 'squ_revoked' })).analysisId).rejects.toThrow(
      /api\/ce\/task\?id=T1 on http:\/\/127.0.0.1:\d+ answered HTTP 401: the Sonar token was refused \(missing, expired or revoked\). Set the token input or SONAR_TOKEN/,
    );
  });

  test('a SonarQube older than 10.0 (basic auth only) is answered with the token as login, once found out', async () => {
    const server = await serve({ basicOnly: true, ceStatuses: ['IN_PROGRESS', 'SUCCESS'] });
    const { api, analysisId } = await wait(server);
    await expect(analysisId).resolves.toBe('analysis-of-T1');
    await api.projectStatus('analysis-of-T1');
    const basic = `Basic ${Buffer.from(`${TEST_TOKEN}:`).toString('base64')}`;
    expect(server.requests.map((r) => r.authorization)).toEqual([`Bearer ${TEST_TOKEN}`, basic, basic, basic]);
  });

  test('403 fails naming the missing permission', async () => {
    const server = await serve({ failures: [{ match: /ce\/task/, status: 403, times: 1 }] });
    await expect((await wait(server)).analysisId).rejects.toThrow(/answered HTTP 403: the Sonar token was refused or lacks permission for this project/);
  });

  test('429 backs off and polling goes on', async () => {
    const server = await serve({ failures: [{ match: /ce\/task/, status: 429, times: 2 }], ceStatuses: ['SUCCESS'] });
    const { analysisId, log } = await wait(server);
    await expect(analysisId).resolves.toBe('analysis-of-T1');
    expect(log.filter((l) => l.startsWith('Sonar answered HTTP 429'))).toHaveLength(2);
  });

  test('a passing 502/503 from the server is ridden out (a few in a row); one too many fails naming the status', async () => {
    const server = await serve({ failures: [{ match: /ce\/task/, status: 502, times: 1 }, { match: /ce\/task/, status: 503, times: 1 }], ceStatuses: ['SUCCESS'] });
    const { analysisId, log } = await wait(server);
    await expect(analysisId).resolves.toBe('analysis-of-T1');
    expect(log.filter((l) => /answered HTTP 50[23].*; retry [12] of 5 in/.test(l))).toHaveLength(2);
    const down = await serve({ failures: [{ match: /ce\/task/, status: 503, times: 6 }], ceStatuses: ['SUCCESS'] });
    await expect((await wait(down)).analysisId).rejects.toThrow(/answered HTTP 503/);
  });

  test('a same-origin redirect is followed with the token', async () => {
    const server = await serve({ redirectOnce: /ce\/task/, ceStatuses: ['SUCCESS'] });
    await expect((await wait(server)).analysisId).resolves.toBe('analysis-of-T1');
    expect(server.requests[1]).toMatchObject({ url: '/moved/api/ce/task?id=T1', authorization: `Bearer ${TEST_TOKEN}` });
  });

  test('a redirect to another origin is followed without the token, and the failure says so', async () => {
    const elsewhere = await serve({ ceStatuses: ['SUCCESS'] });
    const server = await serve({ redirectOnce: /ce\/task/, redirectTo: elsewhere.url.replace('127.0.0.1', 'localhost') });
    await expect((await wait(server)).analysisId).rejects.toThrow(/redirected to http:\/\/localhost:\d+, which answered HTTP 401; the token is only sent to host-url's own origin/);
    expect(elsewhere.requests).toEqual([{ method: 'GET', url: '/moved/api/ce/task?id=T1', authorization: undefined }]);
  });

  test('a server under a context path is addressed below it', async () => {
    const server = await serve({ redirectOnce: /^$/, ceStatuses: ['SUCCESS'] });
    const { analysisId } = await wait(server, { hostUrl: `${server.url}/moved` });
    await expect(analysisId).resolves.toBe('analysis-of-T1');
    expect(server.requests[0].url).toBe('/moved/api/ce/task?id=T1');
  });
});

describe('quality gate', () => {
  const failed = [
    { status: 'ERROR', metricKey: 'new_coverage', comparator: 'LT', errorThreshold: '80', actualValue: '42.1' },
    { status: 'OK', metricKey: 'new_bugs', comparator: 'GT', errorThreshold: '0', actualValue: '0' },
    { status: 'ERROR', metricKey: 'new_security_hotspots_reviewed', comparator: 'LT', errorThreshold: '100', actualValue: '50' },
  ];

  test('reads project_status for the analysis', async () => {
    const server = await serve({ gate: 'ERROR', conditions: failed });
    const api = new SonarApi(server.url, TEST_TOKEN, nodeHttpSend());
    await expect(api.projectStatus('analysis-of-T1')).resolves.toEqual({ status: 'ERROR', conditions: failed });
    expect(server.requests[0].url).toBe('/api/qualitygates/project_status?analysisId=analysis-of-T1');
  });

  test('ERROR fails listing each failed condition', () => {
    const verdict = judgeGate({ status: 'ERROR', analysisId: 'A1', conditions: failed }, false);
    expect(verdict).toEqual({
      pass: false,
      reason: 'the Sonar quality gate failed (ERROR) for analysis A1: new_coverage is 42.1, must not be < 80; new_security_hotspots_reviewed is 50, must not be < 100.',
    });
  });

  test('OK and WARN pass; NONE fails unless allowed', () => {
    expect(judgeGate({ status: 'OK', analysisId: 'A', conditions: [] }, false).pass).toBe(true);
    expect(judgeGate({ status: 'WARN', analysisId: 'A', conditions: [] }, false).pass).toBe(true);
    expect(judgeGate({ status: 'NONE', analysisId: 'A', conditions: [] }, false)).toEqual({ pass: false, reason: expect.stringMatching(/^no quality gate is assigned/) });
    expect(judgeGate({ status: 'NONE', analysisId: 'A', conditions: [] }, true).pass).toBe(true);
  });

  test('an unknown gate status fails closed', () => {
    expect(() => gateStatus({ status: 'MAYBE', conditions: [] })).toThrow(/quality gate status is 'MAYBE', which this action does not know/);
  });

  test('condition text', () => {
    expect(describeCondition({ status: 'ERROR', metricKey: 'bugs', comparator: 'GT', errorThreshold: '0', actualValue: '3' })).toBe('bugs is 3, must not be > 0');
  });
});
