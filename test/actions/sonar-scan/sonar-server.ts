/**
 * A local server speaking the parts of the SonarQube Web API the action and
 * the real @sonar/scan use: api/v2/analysis/version and /engine (scanner
 * bootstrap), api/ce/submit, api/ce/task and api/qualitygates/project_status.
 * Every API call but the legacy version probe needs `Authorization: Bearer <token>`.
 */
import { createHash } from 'crypto';
import * as http from 'http';
import * as https from 'https';
import { AddressInfo } from 'net';

export const TEST_TOKEN = 'squ_0123456789abcdef0123456789abcdef01234567';
export const SERVER_VERSION = '10.7.0.96327';
export const ENGINE_BYTES = Buffer.from('stand-in for the scanner engine jar\n');

export interface Condition {
  status: string;
  metricKey: string;
  comparator: string;
  errorThreshold?: string;
  actualValue?: string;
}

export interface SonarScenario {
  /** What api/ce/task reports, one per call; the last repeats. @default ['IN_PROGRESS', 'SUCCESS'] */
  ceStatuses?: string[];
  errorMessage?: string;
  /** Leave analysisId out of a SUCCESS task. */
  omitAnalysisId?: boolean;
  /** The gate status. @default 'OK' */
  gate?: string;
  conditions?: Condition[];
  /** Answer the first N requests whose "METHOD path" matches with this status. */
  failures?: { match: RegExp; status: number; times: number }[];
  /** Answer the first request whose "METHOD path" matches with a 301 to `redirectTo` (default: same server, under /moved). */
  redirectOnce?: RegExp;
  redirectTo?: string;
  /** The token accepted. @default TEST_TOKEN */
  token?: string;
  /** Accept only basic auth with the token as login (SonarQube before 10.0). */
  basicOnly?: boolean;
}

export interface RecordedRequest {
  method: string;
  url: string;
  authorization?: string;
}

export class SonarServer {
  readonly requests: RecordedRequest[] = [];
  /** Tasks created by api/ce/submit, by id. */
  readonly submitted = new Map<string, { projectKey: string }>();
  private server?: http.Server;
  private ceCalls = 0;
  private redirected = false;

  /** With `tls`, the server speaks HTTPS with that key and certificate. */
  constructor(public scenario: SonarScenario = {}, private readonly tls?: { key: string; cert: string }) {}

  get url(): string {
    return `${this.tls ? 'https' : 'http'}://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async start(): Promise<this> {
    const listener = (req: http.IncomingMessage, res: http.ServerResponse): void => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.handle(req, res));
    };
    this.server = this.tls ? https.createServer({ key: this.tls.key, cert: this.tls.cert }, listener) : http.createServer(listener);
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
    this.server?.closeAllConnections();
  }

  private json(res: http.ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? '';
    this.requests.push({ method, url: `${url.pathname}${url.search}`, authorization: req.headers.authorization });
    let path = url.pathname;
    const line = `${method} ${path}`;
    if (this.scenario.redirectOnce && !this.redirected && this.scenario.redirectOnce.test(line)) {
      this.redirected = true;
      res.writeHead(301, { location: `${this.scenario.redirectTo ?? ''}/moved${path}${url.search}` });
      res.end();
      return;
    }
    if (path.startsWith('/moved/')) path = path.slice('/moved'.length);
    if (path === '/api/server/version') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(SERVER_VERSION);
      return;
    }
    const token = this.scenario.token ?? TEST_TOKEN;
    const accepted = this.scenario.basicOnly ? `Basic ${Buffer.from(`${token}:`).toString('base64')}` : `Bearer ${token}`;
    if (req.headers.authorization !== accepted) {
      this.json(res, 401, { errors: [{ msg: 'Authentication is required' }] });
      return;
    }
    const failure = this.scenario.failures?.find((f) => f.times > 0 && f.match.test(line));
    if (failure) {
      failure.times--;
      this.json(res, failure.status, { errors: [{ msg: `scripted ${failure.status}` }] });
      return;
    }
    if (path === '/api/v2/analysis/version') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(SERVER_VERSION);
      return;
    }
    if (path === '/api/v2/analysis/engine') {
      if ((req.headers.accept ?? '').includes('application/octet-stream')) {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        res.end(ENGINE_BYTES);
      } else {
        this.json(res, 200, { filename: 'sonarqube-scanner-engine-10.7.jar', sha256: createHash('sha256').update(ENGINE_BYTES).digest('hex') });
      }
      return;
    }
    if (method === 'POST' && path === '/api/ce/submit') {
      const id = `AY${this.submitted.size + 1}-task`;
      this.submitted.set(id, { projectKey: url.searchParams.get('projectKey') ?? '' });
      this.json(res, 200, { taskId: id, projectId: 'p1' });
      return;
    }
    if (method === 'GET' && path === '/api/ce/task') {
      const id = url.searchParams.get('id') ?? '';
      const statuses = this.scenario.ceStatuses ?? ['IN_PROGRESS', 'SUCCESS'];
      const status = statuses[Math.min(this.ceCalls++, statuses.length - 1)];
      this.json(res, 200, {
        task: {
          id,
          type: 'REPORT',
          componentKey: 'svc',
          status,
          ...(status === 'SUCCESS' && !this.scenario.omitAnalysisId ? { analysisId: `analysis-of-${id}` } : {}),
          ...(this.scenario.errorMessage && status !== 'SUCCESS' ? { errorMessage: this.scenario.errorMessage } : {}),
        },
      });
      return;
    }
    if (method === 'GET' && path === '/api/qualitygates/project_status') {
      const analysisId = url.searchParams.get('analysisId') ?? '';
      if (!analysisId.startsWith('analysis-of-')) {
        this.json(res, 404, { errors: [{ msg: `Analysis with id '${analysisId}' is not found` }] });
        return;
      }
      this.json(res, 200, { projectStatus: { status: this.scenario.gate ?? 'OK', conditions: this.scenario.conditions ?? [], ignoredConditions: false } });
      return;
    }
    this.json(res, 404, { errors: [{ msg: `no route for ${line}` }] });
  }
}

/** A report-task.txt as the scanner writes it. */
export function reportTaskText(serverUrl: string, ceTaskId: string, projectKey = 'svc'): string {
  return [
    `projectKey=${projectKey}`,
    `serverUrl=${serverUrl}`,
    'serverVersion=10.7.0.96327',
    `dashboardUrl=${serverUrl}/dashboard?id=${projectKey}`,
    `ceTaskId=${ceTaskId}`,
    `ceTaskUrl=${serverUrl}/api/ce/task?id=${ceTaskId}`,
    '',
  ].join('\n');
}
