import { events, subscriptionEvent } from './fixtures';
import { planBatches } from '../../../src/infra/log-shipper/batches';
import { bulkBody, bulkEntry, toDocuments } from '../../../src/infra/log-shipper/documents';
import { decodeSubscriptionEvent } from '../../../src/infra/log-shipper/payload';

const docsOf = (count: number, messageBytes?: number) => toDocuments(decodeSubscriptionEvent(subscriptionEvent(events(count, messageBytes))), 'flask-app');
const size = (d: Parameters<typeof bulkEntry>[0]) => Buffer.byteLength(bulkEntry(d));

describe('splitting into size-bounded _bulk requests', () => {
  test('documents that fit exactly fill one batch; one byte less splits', () => {
    const docs = docsOf(4);
    const total = docs.reduce((n, d) => n + size(d), 0);
    expect(planBatches(docs, total).batches).toHaveLength(1);
    const split = planBatches(docs, total - 1);
    expect(split.batches).toHaveLength(2);
    expect(split.batches.map((b) => b.documents.length)).toEqual([3, 1]);
  });

  test('every batch stays at or under the limit and order is kept', () => {
    const docs = docsOf(500, 300);
    const limit = 10_000;
    const plan = planBatches(docs, limit);
    for (const b of plan.batches) {
      expect(b.bytes).toBeLessThanOrEqual(limit);
      expect(b.bytes).toBe(b.documents.reduce((n, d) => n + size(d), 0));
      expect(b.body).toBe(bulkBody(b.documents));
      expect(Buffer.byteLength(b.body)).toBe(b.bytes);
    }
    expect(plan.batches.flatMap((b) => b.documents)).toEqual(docs);
  });

  test('a document alone above the limit is reported, not sent', () => {
    const docs = [...docsOf(1), ...docsOf(1, 5000).map((d) => ({ ...d, id: 'big' }))];
    const plan = planBatches(docs, 1000);
    expect(plan.oversized.map((o) => o.document.id)).toEqual(['big']);
    expect(plan.batches.flatMap((b) => b.documents)).toHaveLength(1);
  });

  test('multi-byte characters are counted as UTF-8 bytes', () => {
    const [doc] = toDocuments(decodeSubscriptionEvent(subscriptionEvent([{ id: 'u', timestamp: 0, message: 'ü'.repeat(100) }])), 'x');
    const bytes = size(doc);
    expect(bytes).toBeGreaterThan(bulkEntry(doc).length);
    expect(planBatches([doc], bytes).oversized).toHaveLength(0);
    expect(planBatches([doc], bytes - 1).oversized).toHaveLength(1);
  });

  test('a nonsensical limit is rejected', () => {
    expect(() => planBatches([], 0)).toThrow(/positive whole number/);
  });
});
