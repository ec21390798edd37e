/**
 * A local server speaking the Veracode Pipeline Scan API (…/pipeline_scan/v1)
 * as documented: POST /scans, PUT /scans/{id}/segments/{n} (multipart),
 * PUT /scans/{id} {scan_status}, GET /scans/{id}, GET /scans/{id}/findings
 * (202 until ready). Every request's VERACODE-HMAC-SHA-256 header is verified
 * against the test credentials; a bad or replayed one gets 401.
 */
import { createHash } from 'crypto';
import * as http from 'http';
import { AddressInfo } from 'net';
import { parseAuthorizationHeader, signature } from '../../../actions/veracode-scan/src/hmac';

export const TEST_API_ID = '684a28d91070e4ce68b2131e43c2d79b';
export const TEST_API_KEY = '38611f3f651c90091e0cd5389e8a836fa591829505ea0acf4b8f141a4b0b1779ed016fd1819ddd07f2bee100bf7ffec9f2b29ff719f9e818f3e40865719474e3';
export const BASE_PATH = '/pipeline_scan/v1';

export interface ScanScenario {
  /** Bytes per segment the server asks for. @default 1024 */
  segmentSize?: number;
  /** What GET /scans/{id} answers, one per call; the last one repeats. @default ['STARTED', 'SUCCESS'] */
  statuses?: string[];
  /** The message returned with a failed status. */
  message?: string;
  /** GET …/findings answers 202 this many times first. @default 0 */
  findingsNotReady?: number;
  /** The findings document served once ready. */
  findings?: unknown;
  /** Answer the first N requests whose "METHOD path" matches with this status. */
  failures?: { match: RegExp; status: number; times: number; body?: string }[];
  /** Redirect (307) the first request whose "METHOD path" matches to the same path under /moved. */
  redirectOnce?: RegExp;
  /** Omit binary_segments_expected from the create answer. */
  omitSegmentsExpected?: boolean;
  /** Credentials the server accepts. @default the test vector's */
  apiId?: string;
  apiKey?: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  authorized: boolean;
}

interface ScanState {
  id: string;
  name: string;
  size: number;
  hash: string;
  expected: number;
  segments: Buffer[];
  status: string;
  polls: number;
  findingsCalls: number;
}

function multipartFile(body: Buffer, contentType: string): { name: string; filename: string; data: Buffer } | undefined {
  const match = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  if (!match) return undefined;
  const boundary = Buffer.from(`--${match[1] ?? match[2]}`);
  const start = body.indexOf(boundary);
  const headerEnd = body.indexOf('\r\n\r\n', start);
  const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), boundary]), headerEnd);
  if (start < 0 || headerEnd < 0 || next < 0) return undefined;
  const headers = body.subarray(start + boundary.length, headerEnd).toString('utf8');
  const disposition = /name="([^"]*)"; filename="([^"]*)"/.exec(headers);
  if (!disposition) return undefined;
  return { name: disposition[1], filename: disposition[2], data: body.subarray(headerEnd + 4, next) };
}

export class PipelineScanServer {
  readonly requests: RecordedRequest[] = [];
  readonly scans = new Map<string, ScanState>();
  readonly cancelled: string[] = [];
  private readonly nonces = new Set<string>();
  private server?: http.Server;
  private counter = 0;
  private redirected = false;

  constructor(public scenario: ScanScenario = {}) {}

  get baseUrl(): string {
    const port = (this.server!.address() as AddressInfo).port;
    return `http://127.0.0.1:${port}${BASE_PATH}`;
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.handle(req, Buffer.concat(chunks), res));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
    this.server?.closeAllConnections();
  }

  private verify(req: http.IncomingMessage): boolean {
    const parsed = parseAuthorizationHeader(req.headers.authorization ?? '');
    const id = this.scenario.apiId ?? TEST_API_ID;
    const key = this.scenario.apiKey ?? TEST_API_KEY;
    if (!parsed || parsed.id !== id || this.nonces.has(parsed.nonce)) return false;
    const expected = signature({ id, key }, { host: req.headers.host ?? '', pathAndQuery: req.url ?? '', method: req.method ?? '', timestamp: parsed.timestamp, nonce: parsed.nonce });
    if (expected !== parsed.sig) return false;
    this.nonces.add(parsed.nonce);
    return true;
  }

  private json(res: http.ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  private scanJson(scan: ScanState): unknown {
    const uploaded = scan.segments.length;
    return {
      _links: {
        root: { href: '/' },
        self: { href: `/scans/${scan.id}` },
        details: { href: `/scans/${scan.id}` },
        ...(uploaded < scan.expected ? { upload: { href: `/scans/${scan.id}/segments/${uploaded}` } } : {}),
        ...(scan.status === 'SUCCESS' ? { findings: { href: `/scans/${scan.id}/findings` } } : {}),
      },
      scan_id: scan.id,
      scan_status: scan.status,
      api_version: 1,
      binary_name: scan.name,
      binary_size: scan.size,
      binary_hash: scan.hash,
      ...(this.scenario.omitSegmentsExpected ? {} : { binary_segments_expected: scan.expected }),
      binary_segments_uploaded: uploaded,
      ...(['FAILURE', 'CANCELLED', 'TIMEOUT', 'USER_TIMEOUT'].includes(scan.status) && this.scenario.message ? { message: this.scenario.message } : {}),
    };
  }

  private handle(req: http.IncomingMessage, body: Buffer, res: http.ServerResponse): void {
    const method = req.method ?? '';
    let path = (req.url ?? '').split('?')[0];
    const authorized = this.verify(req);
    this.requests.push({ method, path, authorized });
    if (!authorized) {
      this.json(res, 401, { _status_code: 401, message: 'Invalid or missing VERACODE-HMAC-SHA-256 authorization' });
      return;
    }
    const line = `${method} ${path}`;
    if (this.scenario.redirectOnce && !this.redirected && this.scenario.redirectOnce.test(line)) {
      this.redirected = true;
      res.writeHead(307, { location: `/moved${path}` });
      res.end();
      return;
    }
    if (path.startsWith('/moved/')) path = path.slice('/moved'.length);
    const failure = this.scenario.failures?.find((f) => f.times > 0 && f.match.test(line));
    if (failure) {
      failure.times--;
      res.writeHead(failure.status, { 'content-type': 'application/json' });
      res.end(failure.body ?? JSON.stringify({ _status_code: failure.status, message: `scripted ${failure.status}` }));
      return;
    }
    if (!path.startsWith(`${BASE_PATH}/`)) {
      this.json(res, 404, { message: `no such path ${path}` });
      return;
    }
    const rest = path.slice(BASE_PATH.length);
    let m: RegExpExecArray | null;
    if (method === 'POST' && rest === '/scans') {
      const request = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
      if (typeof request.binary_name !== 'string' || typeof request.binary_size !== 'number' || typeof request.binary_hash !== 'string' || !/^[0-9a-f]{64}$/.test(request.binary_hash)) {
        this.json(res, 400, { message: 'binary_name, binary_size and binary_hash are required' });
        return;
      }
      const id = `0000${++this.counter}-56b1-4d8b-a9c8-489ef38fd0a2`;
      const scan: ScanState = {
        id,
        name: request.binary_name,
        size: request.binary_size,
        hash: request.binary_hash,
        expected: Math.max(1, Math.ceil(request.binary_size / (this.scenario.segmentSize ?? 1024))),
        segments: [],
        status: 'UPLOADING',
        polls: 0,
        findingsCalls: 0,
      };
      this.scans.set(id, scan);
      this.json(res, 200, this.scanJson(scan));
      return;
    }
    if ((m = /^\/scans\/([^/]+)\/segments\/(\d+)$/.exec(rest)) && method === 'PUT') {
      const scan = this.scans.get(m[1]);
      const file = multipartFile(body, req.headers['content-type'] ?? '');
      if (!scan) return this.json(res, 404, { message: 'no such scan' });
      if (!file || file.name !== 'file') return this.json(res, 400, { message: 'expected a multipart part named file' });
      if (Number(m[2]) !== scan.segments.length) return this.json(res, 400, { message: `expected segment ${scan.segments.length}, got ${m[2]}` });
      scan.segments.push(file.data);
      this.json(res, 200, this.scanJson(scan));
      return;
    }
    if ((m = /^\/scans\/([^/]+)$/.exec(rest))) {
      const scan = this.scans.get(m[1]);
      if (!scan) return this.json(res, 404, { message: 'no such scan' });
      if (method === 'PUT') {
        const wanted = (JSON.parse(body.toString('utf8')) as { scan_status?: string }).scan_status;
        if (wanted === 'CANCELLED') {
          this.cancelled.push(scan.id);
          scan.status = 'CANCELLED';
          return this.json(res, 200, this.scanJson(scan));
        }
        const assembled = Buffer.concat(scan.segments);
        if (wanted !== 'STARTED' || scan.segments.length !== scan.expected || assembled.length !== scan.size || createHash('sha256').update(assembled).digest('hex') !== scan.hash) {
          return this.json(res, 400, { message: `cannot start: ${scan.segments.length}/${scan.expected} segments, ${assembled.length}/${scan.size} bytes` });
        }
        scan.status = 'STARTED';
        return this.json(res, 200, this.scanJson(scan));
      }
      if (method === 'GET') {
        const statuses = this.scenario.statuses ?? ['STARTED', 'SUCCESS'];
        scan.status = statuses[Math.min(scan.polls, statuses.length - 1)];
        scan.polls++;
        return this.json(res, 200, this.scanJson(scan));
      }
    }
    if ((m = /^\/scans\/([^/]+)\/findings$/.exec(rest)) && method === 'GET') {
      const scan = this.scans.get(m[1]);
      if (!scan) return this.json(res, 404, { message: 'no such scan' });
      scan.findingsCalls++;
      if (scan.findingsCalls <= (this.scenario.findingsNotReady ?? 0)) {
        res.writeHead(202);
        res.end();
        return;
      }
      return this.json(res, 200, this.scenario.findings ?? findingsDocument(scan.id, []));
    }
    this.json(res, 404, { message: `no route for ${line}` });
  }
}

/** A findings document shaped like the API's answer. */
export function findingsDocument(scanId: string, findings: unknown[]): unknown {
  return { scan_id: scanId, scan_status: 'SUCCESS', message: 'Scan successful.', modules: ['app.zip'], modules_count: 1, findings, selected_modules: [], stack_dumps: {} };
}

/** One finding as the API reports it. */
export interface ApiFindingOptions {
  severity: number;
  cwe: number;
  file?: string;
  line?: number;
  issueType?: string;
  flawHash?: string;
  id?: number;
}

export function apiFinding(options: ApiFindingOptions): unknown {
  return {
    title: 'eval',
    issue_id: options.id ?? 1000 + options.cwe,
    gob: 'B',
    severity: options.severity,
    issue_type_id: 'taint',
    issue_type: options.issueType ?? `Issue for CWE ${options.cwe}`,
    cwe_id: String(options.cwe),
    display_text: `<span>This call could allow <b>CWE-${options.cwe}</b> &amp; more.</span>`,
    files: options.file ? { source_file: { file: options.file, line: options.line ?? 1, function_name: 'handler', qualified_function_name: 'handler', function_prototype: 'handler()', scope: 'UNKNOWN' } } : {},
    flaw_match: options.flawHash ? { procedure_hash: '1', prototype_hash: '2', flaw_hash: options.flawHash, flaw_hash_count: 1, flaw_hash_ordinal: 1, cause_hash: '3', cause_hash_count: 1, cause_hash_ordinal: 1 } : undefined,
  };
}
