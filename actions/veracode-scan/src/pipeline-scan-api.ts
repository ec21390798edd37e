/**
 * The Veracode Pipeline Scan REST API (…/pipeline_scan/v1): create a scan,
 * upload its segments, start it, read its status and findings. Every request
 * is HMAC-signed afresh; the transport is injected.
 */
import { randomBytes } from 'crypto';
import { RequestSigner } from './hmac';
import { ActionError } from '../../shared/errors';
import { HttpRequest, HttpResponse, HttpSend, HttpStatusError, sendFollowingRedirects, snippet } from '../../shared/http';

/** Scan states as the API reports them. */
export const ACTIVE_STATUSES = ['PENDING', 'UPLOADING', 'STARTED'] as const;
export const FAILED_STATUSES = ['FAILURE', 'CANCELLED', 'TIMEOUT', 'USER_TIMEOUT'] as const;
export const SUCCESS_STATUS = 'SUCCESS';

export interface CreateScanRequest {
  readonly binaryName: string;
  readonly binarySize: number;
  /** Hex SHA-256 of the whole file. */
  readonly binaryHash: string;
  readonly projectName?: string;
  readonly projectUri?: string;
  readonly projectRef?: string;
  readonly commitHash?: string;
  readonly devStage?: 'DEVELOPMENT' | 'TESTING' | 'RELEASE';
}

export interface ScanDetails {
  readonly scanId: string;
  readonly scanStatus: string;
  readonly binarySegmentsExpected?: number;
  readonly binarySegmentsUploaded?: number;
  readonly message?: string;
  /** `_links.upload.href`: where the next segment goes, when the API names it. */
  readonly uploadHref?: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJson(response: HttpResponse, what: string): unknown {
  try {
    return JSON.parse(response.body.toString('utf8'));
  } catch {
    throw new ActionError(`${what}: the answer (HTTP ${response.status}) is not JSON: ${snippet(response.body) || '(empty body)'}`);
  }
}

export function parseScanDetails(value: unknown, what: string): ScanDetails {
  if (!isObject(value) || typeof value.scan_id !== 'string' || value.scan_id === '' || typeof value.scan_status !== 'string') {
    throw new ActionError(`${what}: the answer has no scan_id and scan_status; got ${JSON.stringify(value)?.slice(0, 200)}`);
  }
  const links = isObject(value._links) ? value._links : {};
  const upload = isObject(links.upload) ? links.upload : {};
  const count = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) ? v : undefined);
  return {
    scanId: value.scan_id,
    scanStatus: value.scan_status,
    binarySegmentsExpected: count(value.binary_segments_expected),
    binarySegmentsUploaded: count(value.binary_segments_uploaded),
    message: typeof value.message === 'string' && value.message !== '' ? value.message : undefined,
    uploadHref: typeof upload.href === 'string' ? upload.href : undefined,
  };
}

/** A multipart/form-data body with one file part named `file`, as the segment upload expects; the bytes are not copied. */
export function multipartFile(
  fieldName: string,
  fileName: string,
  bytes: Uint8Array,
  boundary = `----slipway${randomBytes(12).toString('hex')}`,
): { body: readonly Uint8Array[]; contentType: string } {
  const safeName = fileName.replace(/["\r\n]/g, '_');
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${fieldName}"; filename="${safeName}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    'utf8',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8');
  return { body: [head, bytes, tail], contentType: `multipart/form-data; boundary=${boundary}` };
}

export class PipelineScanApi {
  private readonly base: URL;

  constructor(
    apiBaseUrl: string,
    private readonly send: HttpSend,
    private readonly signer: RequestSigner,
  ) {
    this.base = new URL(apiBaseUrl.endsWith('/') ? apiBaseUrl : `${apiBaseUrl}/`);
  }

  /** The URL for a path under the API base, e.g. 'scans/abc'. */
  url(path: string): URL {
    return new URL(path.replace(/^\/+/, ''), this.base);
  }

  async createScan(request: CreateScanRequest): Promise<ScanDetails> {
    const body = {
      binary_name: request.binaryName,
      binary_size: request.binarySize,
      binary_hash: request.binaryHash,
      ...(request.projectName ? { project_name: request.projectName } : {}),
      ...(request.projectUri ? { project_uri: request.projectUri } : {}),
      ...(request.projectRef ? { project_ref: request.projectRef } : {}),
      ...(request.commitHash ? { commit_hash: request.commitHash } : {}),
      ...(request.devStage ? { dev_stage: request.devStage } : {}),
    };
    const what = `creating the pipeline scan for ${request.binaryName}`;
    const response = await this.request('POST', this.url('scans'), what, JSON.stringify(body), 'application/json');
    return parseScanDetails(parseJson(response, what), what);
  }

  /** PUT one segment; `href` is the API's `_links.upload.href` when it gave one. */
  async uploadSegment(scanId: string, index: number, bytes: Uint8Array, fileName: string, href?: string): Promise<ScanDetails> {
    const url = href ? this.resolveLink(href) : this.url(`scans/${encodeURIComponent(scanId)}/segments/${index}`);
    const { body, contentType } = multipartFile('file', fileName, bytes);
    const what = `uploading segment ${index} of scan ${scanId}`;
    const response = await this.request('PUT', url, what, body, contentType);
    return parseScanDetails(parseJson(response, what), what);
  }

  async startScan(scanId: string): Promise<ScanDetails> {
    const what = `starting scan ${scanId}`;
    const response = await this.request('PUT', this.url(`scans/${encodeURIComponent(scanId)}`), what, JSON.stringify({ scan_status: 'STARTED' }), 'application/json');
    return parseScanDetails(parseJson(response, what), what);
  }

  async cancelScan(scanId: string): Promise<void> {
    await this.request('PUT', this.url(`scans/${encodeURIComponent(scanId)}`), `cancelling scan ${scanId}`, JSON.stringify({ scan_status: 'CANCELLED' }), 'application/json');
  }

  async getScan(scanId: string): Promise<ScanDetails> {
    const what = `reading the status of scan ${scanId}`;
    const response = await this.request('GET', this.url(`scans/${encodeURIComponent(scanId)}`), what);
    return parseScanDetails(parseJson(response, what), what);
  }

  /** The findings document, or undefined while the API answers 202 (results not ready yet). */
  async getFindings(scanId: string): Promise<unknown> {
    const what = `reading the findings of scan ${scanId}`;
    const response = await this.request('GET', this.url(`scans/${encodeURIComponent(scanId)}/findings`), what);
    if (response.status === 202) return undefined;
    return parseJson(response, what);
  }

  /** `_links` hrefs are relative to the API root (e.g. '/scans/…/segments/0'); resolve them under the base path. */
  private resolveLink(href: string): URL {
    if (/^https?:\/\//.test(href)) return new URL(href);
    return this.url(href);
  }

  private async request(method: string, url: URL, what: string, body?: HttpRequest['body'], contentType?: string): Promise<HttpResponse> {
    const response = await sendFollowingRedirects(this.send, { method, url, body }, {
      // Sign only for the API's own origin (scheme, host and port): a redirect elsewhere, or to plain http
      // on the same host, gets no credentials-derived header.
      headersFor: (m, u) => ({
        accept: 'application/json',
        ...(contentType && m !== 'GET' ? { 'content-type': contentType } : {}),
        ...(u.origin === this.base.origin ? { authorization: this.signer.sign(m, u) } : {}),
      }),
    });
    if (response.status >= 200 && response.status < 300) return response;
    const detail = snippet(response.body);
    if (response.status === 401 || response.status === 403) {
      throw new HttpStatusError(
        method, url, response.status, detail,
        `${what}: Veracode refused the credentials (HTTP ${response.status}${detail ? `: ${detail}` : ''}). ` +
          'Check that api-id and api-key (or VERACODE_API_ID/VERACODE_API_KEY) are current, belong to the same account, and that the account has the Pipeline Scan permission.',
      );
    }
    if (response.status === 429) {
      throw new HttpStatusError(method, url, 429, detail, `${what}: Veracode answered HTTP 429 (too many requests)`);
    }
    throw new HttpStatusError(method, url, response.status, detail, `${what}: Veracode answered HTTP ${response.status}${detail ? `: ${detail}` : ''}`);
  }
}
