/**
 * One HTTP(S) request over node:http/https, with an optional extra CA
 * certificate, a per-request timeout and no automatic redirects; plus a
 * redirect follower that asks for fresh headers on every hop, so credentials
 * are re-made (or withheld) for each URL instead of being replayed blindly.
 */
import * as http from 'http';
import * as https from 'https';
import { rootCertificates } from 'tls';
import { ActionError, TransientError } from './errors';
import { NETWORK_ERROR_CODES } from './network-codes';

export interface HttpRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers?: Readonly<Record<string, string>>;
  /** A body, or its parts in order (sent without first copying them into one buffer). */
  readonly body?: Buffer | string | readonly Uint8Array[];
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
  /** The URL that answered (after redirects, when followed). */
  readonly url: URL;
}

/** Sends one request; the injectable seam every API client is built on. */
export type HttpSend = (request: HttpRequest) => Promise<HttpResponse>;

export interface NodeHttpOptions {
  /** PEM certificate(s) trusted in addition to Node's bundled roots (self-hosted servers). */
  readonly extraCaPem?: string;
  /** Abort a request that has not completed in this many ms. @default 60 000 */
  readonly timeoutMs?: number;
  /** Sent on every request. */
  readonly userAgent?: string;
}

/** A non-2xx answer, kept as data so callers can word the failure for their API. */
export class HttpStatusError extends ActionError {
  constructor(
    readonly method: string,
    readonly url: URL,
    readonly status: number,
    readonly bodySnippet: string,
    message?: string,
  ) {
    super(message ?? `${method} ${url.origin}${url.pathname} answered HTTP ${status}${bodySnippet ? `: ${bodySnippet}` : ''}`);
    this.name = 'HttpStatusError';
  }
}

/** At most `max` characters of a response body, on one line, for messages. */
export function snippet(body: Buffer | string, max = 300): string {
  const text = (typeof body === 'string' ? body : body.toString('utf8')).replace(/\s+/g, ' ').trim();
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

export function nodeHttpSend(options: NodeHttpOptions = {}): HttpSend {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const httpsAgent = new https.Agent({
    keepAlive: true,
    ...(options.extraCaPem ? { ca: [...rootCertificates, options.extraCaPem] } : {}),
  });
  const httpAgent = new http.Agent({ keepAlive: true });
  return (request) =>
    new Promise<HttpResponse>((resolve, reject) => {
      const isHttps = request.url.protocol === 'https:';
      if (!isHttps && request.url.protocol !== 'http:') {
        reject(new ActionError(`cannot request ${request.url.href}: only http and https URLs are supported`));
        return;
      }
      const parts = bodyParts(request.body);
      const length = parts?.reduce((n, p) => n + p.length, 0);
      const headers: Record<string, string> = {
        ...(options.userAgent ? { 'user-agent': options.userAgent } : {}),
        ...request.headers,
        ...(length !== undefined ? { 'content-length': String(length) } : {}),
      };
      const send = isHttps ? https.request : http.request;
      const req = send(request.url, { method: request.method, headers, agent: isHttps ? httpsAgent : httpAgent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), url: request.url }));
        res.on('error', reject);
      });
      req.setTimeout(timeoutMs, () => {
        req.destroy(new TransientError(`${request.method} ${request.url.origin}${request.url.pathname} got no complete answer within ${timeoutMs / 1000}s`));
      });
      req.on('error', (error: NodeJS.ErrnoException) => {
        if (error instanceof ActionError) {
          reject(error);
          return;
        }
        // A refused or broken connection may pass; a bad certificate or URL will not.
        const Kind = error.code && NETWORK_ERROR_CODES.has(error.code) ? TransientError : ActionError;
        reject(new Kind(`${request.method} ${request.url.origin}${request.url.pathname} failed: ${error.message}`));
      });
      for (const part of parts ?? []) req.write(part);
      req.end();
    });
}

function bodyParts(body: HttpRequest['body']): readonly Uint8Array[] | undefined {
  if (body === undefined) return undefined;
  if (typeof body === 'string') return [Buffer.from(body, 'utf8')];
  return Buffer.isBuffer(body) ? [body] : body as readonly Uint8Array[];
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export interface RedirectOptions {
  /** @default 5 */
  readonly maxRedirects?: number;
  /** Headers for the request to `url` (called for the first URL and again for every hop). */
  readonly headersFor: (method: string, url: URL) => Readonly<Record<string, string>>;
}

/**
 * Send `request`, following 301/302/303/307/308. A 303 (and a 301/302 after
 * a non-GET, as browsers do) becomes a body-less GET; 307/308 repeat the method and body.
 */
export async function sendFollowingRedirects(
  send: HttpSend,
  request: Omit<HttpRequest, 'headers'>,
  options: RedirectOptions,
): Promise<HttpResponse> {
  const max = options.maxRedirects ?? 5;
  let current: Omit<HttpRequest, 'headers'> = request;
  for (let hop = 0; ; hop++) {
    const response = await send({ ...current, headers: options.headersFor(current.method, current.url) });
    if (!REDIRECTS.has(response.status)) return response;
    const location = response.headers.location;
    if (!location) {
      throw new HttpStatusError(current.method, current.url, response.status, '', `${current.method} ${current.url.href} answered HTTP ${response.status} without a Location header`);
    }
    if (hop >= max) {
      throw new ActionError(`${request.method} ${request.url.href} redirected more than ${max} times (last to ${location}); check the server URL`);
    }
    const next = new URL(location, current.url);
    const becomesGet = response.status === 303 || ((response.status === 301 || response.status === 302) && current.method !== 'GET' && current.method !== 'HEAD');
    current = becomesGet ? { method: 'GET', url: next } : { ...current, url: next };
  }
}
