/**
 * The log shipper Lambda: CloudWatch Logs subscription → OpenSearch `_bulk`.
 * It throws when any document could not be stored, so the asynchronous
 * invocation is retried and, after that, lands in the dead-letter queue.
 */
import { request as httpRequest } from 'http';
import { request as httpsRequest } from 'https';
import { toDocuments } from './documents';
import { decodeSubscriptionEvent } from './payload';
import { BulkHttpResponse, ShipResult, shipDocuments } from './ship';
import { credentialsFromEnv, signedHeaders } from './sigv4';

export interface ShipperConfig {
  /** The domain's base URL, e.g. https://vpc-x.eu-west-1.es.amazonaws.com */
  readonly endpoint: URL;
  readonly region: string;
  readonly indexPrefix: string;
  readonly maxRequestBytes: number;
}

export function configFromEnv(env: NodeJS.ProcessEnv): ShipperConfig {
  const need = (key: string): string => {
    const value = env[key];
    if (!value) throw new Error(`environment variable ${key} is not set; the log shipper stack sets it`);
    return value;
  };
  const maxRequestBytes = Number(need('MAX_REQUEST_BYTES'));
  if (!Number.isInteger(maxRequestBytes) || maxRequestBytes <= 0) {
    throw new Error(`MAX_REQUEST_BYTES must be a positive whole number, got '${env.MAX_REQUEST_BYTES}'`);
  }
  return {
    endpoint: new URL(need('OPENSEARCH_URL')),
    region: need('AWS_REGION'),
    indexPrefix: need('INDEX_PREFIX'),
    maxRequestBytes,
  };
}

function post(url: URL, headers: Record<string, string>, body: string): Promise<BulkHttpResponse> {
  const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, { method: 'POST', headers, timeout: 30_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`POST ${url.href} timed out after 30 s`)));
    req.on('error', reject);
    req.end(body);
  });
}

export async function shipEvent(event: unknown, config: ShipperConfig, env: NodeJS.ProcessEnv): Promise<ShipResult> {
  const docs = toDocuments(decodeSubscriptionEvent(event), config.indexPrefix);
  const url = new URL('/_bulk', config.endpoint);
  return shipDocuments(docs, {
    maxRequestBytes: config.maxRequestBytes,
    send: async (body) => {
      const headers = await signedHeaders({ url, body, region: config.region, credentials: credentialsFromEnv(env) });
      return post(url, headers, body);
    },
  });
}

export async function handler(event: unknown): Promise<{ succeeded: number; requests: number }> {
  const result = await shipEvent(event, configFromEnv(process.env), process.env);
  if (result.failed.length > 0) {
    console.error(JSON.stringify({ message: 'documents not stored', failed: result.failed }));
    const sample = result.failed.slice(0, 3).map((f) => `${f.id} (${f.status}: ${f.reason})`).join('; ');
    throw new Error(`${result.failed.length} of ${result.failed.length + result.succeeded} log documents were not stored, e.g. ${sample}`);
  }
  console.log(JSON.stringify({ message: 'shipped', succeeded: result.succeeded, requests: result.requests }));
  return { succeeded: result.succeeded, requests: result.requests };
}
