import { bulkResponse, events, subscriptionEvent } from './fixtures';
import { toDocuments } from '../../../src/infra/log-shipper/documents';
import { decodeSubscriptionEvent } from '../../../src/infra/log-shipper/payload';
import { BulkHttpResponse, shipDocuments } from '../../../src/infra/log-shipper/ship';

const docsOf = (count: number) => toDocuments(decodeSubscriptionEvent(subscriptionEvent(events(count))), 'flask-app');
const idsIn = (body: string) => body.trim().split('\n').filter((_, i) => i % 2 === 0).map((l) => JSON.parse(l).index._id as string);

/** A scripted OpenSearch: each call answers with the next responder. */
function scripted(responders: ((ids: string[]) => BulkHttpResponse)[]) {
  const calls: string[][] = [];
  const send = async (body: string) => {
    const ids = idsIn(body);
    calls.push(ids);
    const next = responders[Math.min(calls.length - 1, responders.length - 1)];
    return next(ids);
  };
  return { calls, send };
}
const allOk = (ids: string[]) => ({ status: 200, body: bulkResponse(ids.map(() => 201)) });

describe('shipping with retries', () => {
  const sleeps: number[] = [];
  const common = { maxRequestBytes: 1_000_000, sleep: async (ms: number) => { sleeps.push(ms); }, random: () => 0.5 };
  beforeEach(() => { sleeps.length = 0; });

  test('all stored in one request', async () => {
    const { calls, send } = scripted([allOk]);
    const result = await shipDocuments(docsOf(10), { ...common, send });
    expect(result).toEqual({ requests: 1, succeeded: 10, failed: [] });
    expect(calls).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  test('throttled items (429) are retried alone, after a jittered backoff', async () => {
    const docs = docsOf(4);
    const { calls, send } = scripted([
      () => ({ status: 200, body: bulkResponse([201, 429, 201, 429]) }),
      allOk,
    ]);
    const result = await shipDocuments(docs, { ...common, send, baseDelayMs: 200 });
    expect(calls[1]).toEqual([docs[1].id, docs[3].id]);
    expect(result).toEqual({ requests: 2, succeeded: 4, failed: [] });
    expect(sleeps).toEqual([100]);
  });

  test('non-retryable item errors are reported with their reason, not retried', async () => {
    const docs = docsOf(3);
    const { calls, send } = scripted([() => ({ status: 200, body: bulkResponse([201, 400, 201]) })]);
    const result = await shipDocuments(docs, { ...common, send });
    expect(calls).toHaveLength(1);
    expect(result.succeeded).toBe(2);
    expect(result.failed).toEqual([{ id: docs[1].id, index: docs[1].index, status: 400, reason: 'mapper_parsing_exception: failed to parse field [status]' }]);
  });

  test('documents still throttled after the last attempt are reported', async () => {
    const docs = docsOf(2);
    const { calls, send } = scripted([(ids) => ({ status: 200, body: bulkResponse(ids.map(() => 429)) })]);
    const result = await shipDocuments(docs, { ...common, send, maxAttempts: 3, baseDelayMs: 100 });
    expect(calls).toHaveLength(3);
    expect(sleeps).toEqual([50, 100]);
    expect(result.failed.map((f) => [f.status, f.reason])).toEqual([
      [429, 'still throttled after 3 attempts'],
      [429, 'still throttled after 3 attempts'],
    ]);
  });

  test('a whole-request 429 or 503 retries the batch; a 403 fails it with the body', async () => {
    const retried = scripted([() => ({ status: 503, body: 'busy' }), allOk]);
    expect((await shipDocuments(docsOf(2), { ...common, send: retried.send })).succeeded).toBe(2);
    const denied = scripted([() => ({ status: 403, body: '{"message":"no permissions for [indices:data/write/bulk]"}' })]);
    const result = await shipDocuments(docsOf(2), { ...common, send: denied.send });
    expect(result.failed).toHaveLength(2);
    expect(result.failed[0].reason).toMatch(/HTTP 403: .*indices:data\/write\/bulk/);
  });

  test('backoff doubles and is capped', async () => {
    const { send } = scripted([(ids) => ({ status: 200, body: bulkResponse(ids.map(() => 429)) })]);
    await shipDocuments(docsOf(1), { ...common, send, maxAttempts: 6, baseDelayMs: 100, maxDelayMs: 500, random: () => 0.999 });
    expect(sleeps).toEqual([99, 199, 399, 499, 499]);
  });

  test('a response whose items do not match the request is an error, not a guess', async () => {
    const { send } = scripted([() => ({ status: 200, body: bulkResponse([201]) })]);
    await expect(shipDocuments(docsOf(2), { ...common, send })).rejects.toThrow(/1 items for 2 documents/);
  });

  test('large input is split under the limit and every request is sent', async () => {
    const { calls, send } = scripted([allOk]);
    const result = await shipDocuments(docsOf(300), { ...common, send, maxRequestBytes: 8_000 });
    expect(calls.length).toBeGreaterThan(1);
    expect(calls.flat()).toHaveLength(300);
    expect(result.succeeded).toBe(300);
  });
});
