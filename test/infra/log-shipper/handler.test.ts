import { createServer, IncomingMessage, Server } from 'http';
import { AddressInfo } from 'net';
import { join } from 'path';
import { bulkResponse, events, subscriptionEvent } from './fixtures';
import { configFromEnv, handler, shipEvent } from '../../../src/infra/log-shipper/handler';
import { logShipperBundleDir } from '../../../src/infra/logging/shipper-bundle';

/** A local HTTP server speaking the OpenSearch _bulk API: stores documents, throttles on request. */
function bulkServer(throttleFirst: number) {
  const received: { headers: IncomingMessage['headers']; lines: string[] }[] = [];
  let throttled = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const lines = Buffer.concat(chunks).toString('utf8').trim().split('\n');
      received.push({ headers: req.headers, lines });
      if (req.url !== '/_bulk' || req.method !== 'POST') {
        res.writeHead(404).end();
        return;
      }
      const statuses = lines.filter((_, i) => i % 2 === 0).map(() => (throttled++ < throttleFirst ? 429 : 201));
      res.writeHead(200, { 'content-type': 'application/json' }).end(bulkResponse(statuses));
    });
  });
  return { server, received };
}

const env = (url: string) => ({
  OPENSEARCH_URL: url,
  AWS_REGION: 'eu-west-1',
  INDEX_PREFIX: 'flask-app',
  MAX_REQUEST_BYTES: '5000000',
  AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  AWS_SESSION_TOKEN: 'session',
});

describe('the handler against a local _bulk endpoint', () => {
  let ctx: ReturnType<typeof bulkServer>;
  let url: string;
  beforeEach(async () => {
    ctx = bulkServer(1);
    await new Promise<void>((resolve) => ctx.server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(ctx.server.address() as AddressInfo).port}`;
  });
  afterEach(() => new Promise<void>((resolve) => ctx.server.close(() => resolve())));

  test('ships every event with SigV4 headers, retrying the throttled one', async () => {
    const e = env(url);
    const result = await shipEvent(subscriptionEvent(events(5)), configFromEnv(e), e);
    expect(result).toEqual({ requests: 2, succeeded: 5, failed: [] });
    const first = ctx.received[0];
    expect(first.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/es\/aws4_request, SignedHeaders=.*host.*, Signature=[0-9a-f]{64}$/);
    expect(first.headers['x-amz-security-token']).toBe('session');
    expect(first.headers['content-type']).toBe('application/x-ndjson');
    expect(first.lines).toHaveLength(10);
    expect(ctx.received[1].lines).toHaveLength(2);
  });

  test('the exported handler throws naming the failed documents', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, env(url), { MAX_REQUEST_BYTES: '100' });
    const quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      await expect(handler(subscriptionEvent(events(2)))).rejects.toThrow(/2 of 2 log documents were not stored, e\.g\. .*\(413: the document is \d+ bytes/);
    } finally {
      process.env = saved;
      quiet.mockRestore();
    }
  });

  test('the esbuild bundle deployed as the Lambda code ships a real payload the same way', async () => {
    const bundle = join(logShipperBundleDir(), 'index.js');
    const saved = { ...process.env };
    Object.assign(process.env, env(url));
    const quiet = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const lambda = require(bundle) as { handler: (event: unknown) => Promise<{ succeeded: number; requests: number }> };
      await expect(lambda.handler(subscriptionEvent(events(3)))).resolves.toEqual({ succeeded: 3, requests: 2 });
      expect(ctx.received[0].headers.authorization).toMatch(/^AWS4-HMAC-SHA256 /);
    } finally {
      process.env = saved;
      quiet.mockRestore();
    }
  });

  test('missing configuration names the variable', () => {
    expect(() => configFromEnv({ ...env(url), INDEX_PREFIX: '' })).toThrow(/INDEX_PREFIX is not set/);
    expect(() => configFromEnv({ ...env(url), MAX_REQUEST_BYTES: 'lots' })).toThrow(/MAX_REQUEST_BYTES must be a positive whole number, got 'lots'/);
  });
});
