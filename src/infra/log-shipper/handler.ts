/**
 * The log shipper Lambda: CloudWatch Logs subscription → OpenSearch `_bulk`.
 * It throws when any document could not be stored, so the asynchronous
 * invocation is retried and, after that, lands in the dead-letter queue.
 */
import { request as httpRequest } from 'http';
import { request as httpsRequest } from 'https';
import { CustomResourceEvent, customResourceResponse, readCustomResourceEvent } from './cfn-response';
import { toDocuments } from './documents';
import { DomainSetupConfig, SendDomainRequest, setUpDomain } from './domain-setup';
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

function call(method: string, url: URL, headers: Record<string, string>, body: string): Promise<BulkHttpResponse> {
  const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, { method, headers, timeout: 30_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${url.origin}${url.pathname} timed out after 30 s`)));
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
      return call('POST', url, headers, body);
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

/** Signed JSON requests to the domain, for the setup steps. */
export function domainClient(endpoint: URL, region: string, env: NodeJS.ProcessEnv): SendDomainRequest {
  return async (request) => {
    const url = new URL(request.path, endpoint);
    const body = request.body === undefined ? '' : JSON.stringify(request.body);
    const headers = await signedHeaders({ url, method: request.method, contentType: 'application/json', body, region, credentials: credentialsFromEnv(env) });
    return call(request.method, url, headers, body);
  };
}

/** Reads the setup resource's properties, failing with the property that is wrong. */
export function setupConfigOf(event: CustomResourceEvent): DomainSetupConfig {
  const p = event.ResourceProperties;
  const retentionDays = Number(p.RetentionDays);
  const readers = p.ReaderRoleArns;
  if (typeof p.IndexPrefix !== 'string') throw new Error('the setup resource has no IndexPrefix property');
  if (!Number.isInteger(retentionDays)) throw new Error(`the setup resource's RetentionDays '${String(p.RetentionDays)}' is not a whole number`);
  if (!Array.isArray(readers) || !readers.every((r) => typeof r === 'string')) throw new Error('the setup resource\'s ReaderRoleArns is not a list of ARNs');
  return { indexPrefix: p.IndexPrefix, retentionDays, readerRoleArns: readers as string[] };
}

/**
 * The setup custom resource: applies domainSetup on Create and Update; Delete leaves the (retained) domain as it
 * is. It always answers CloudFormation, FAILED with the reason when a step fails.
 */
export async function setup(rawEvent: unknown, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const event = readCustomResourceEvent(rawEvent);
  const physicalId = event.PhysicalResourceId ?? `${String(event.ResourceProperties.IndexPrefix ?? 'logs')}-domain-setup`;
  let response;
  try {
    if (event.RequestType === 'Delete') {
      response = customResourceResponse(event, 'SUCCESS', 'the domain is retained with its policy, template and mappings', physicalId);
    } else {
      const endpoint = new URL(env.OPENSEARCH_URL ?? '');
      const result = await setUpDomain(domainClient(endpoint, env.AWS_REGION ?? '', env), setupConfigOf(event));
      console.log(JSON.stringify({ message: 'domain set up', ...result }));
      response = customResourceResponse(event, 'SUCCESS', result.steps.join('; '), physicalId);
    }
  } catch (e) {
    console.error(JSON.stringify({ message: 'domain setup failed', error: (e as Error).message }));
    response = customResourceResponse(event, 'FAILED', (e as Error).message, physicalId);
  }
  const body = JSON.stringify(response);
  // The pre-signed URL is signed for an empty content type.
  const answer = await call('PUT', new URL(event.ResponseURL), { 'content-type': '', 'content-length': String(Buffer.byteLength(body)) }, body);
  if (answer.status < 200 || answer.status >= 300) throw new Error(`CloudFormation did not accept the response: HTTP ${answer.status}`);
}
