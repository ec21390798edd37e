import { gzipSync } from 'zlib';
import { events, subscriptionEvent } from './fixtures';
import { bulkBody, dailyIndex, toDocuments } from '../../../src/infra/log-shipper/documents';
import { indexTemplate } from '../../../src/infra/log-shipper/domain-setup';
import { decodePayload, decodeSubscriptionEvent } from '../../../src/infra/log-shipper/payload';

describe('decoding the subscription payload', () => {
  test('a real gzipped DATA_MESSAGE decodes to its events', () => {
    const data = decodeSubscriptionEvent(subscriptionEvent(events(3)));
    expect(data.messageType).toBe('DATA_MESSAGE');
    expect(data.logGroup).toBe('/slipway/flask-app/app');
    expect(data.logEvents).toHaveLength(3);
    expect(data.logEvents[2].message).toMatch(/^GET \/health 200 request 2/);
  });

  test('a CONTROL_MESSAGE yields no documents', () => {
    const data = decodeSubscriptionEvent(subscriptionEvent([{ id: '1', timestamp: 0, message: 'CWL CONTROL MESSAGE: Checking health of destination' }], 'CONTROL_MESSAGE'));
    expect(toDocuments(data, 'logs')).toEqual([]);
  });

  test('non-gzip data is rejected with the reason', () => {
    expect(() => decodePayload(Buffer.from('plain text').toString('base64'))).toThrow(/not base64 of gzip data/);
  });

  test('gzip of non-JSON is rejected', () => {
    expect(() => decodePayload(gzipSync('nope').toString('base64'))).toThrow(/not JSON/);
  });

  test('an event without awslogs.data is rejected, naming what it expects', () => {
    expect(() => decodeSubscriptionEvent({ Records: [] })).toThrow(/CloudWatch Logs subscription events/);
  });

  test('a malformed log event is rejected with its position', () => {
    const bad = { awslogs: { data: gzipSync(JSON.stringify({ messageType: 'DATA_MESSAGE', owner: 'o', logGroup: 'g', logStream: 's', logEvents: [{ id: 1 }] })).toString('base64') } };
    expect(() => decodeSubscriptionEvent(bad)).toThrow(/logEvents\[0\]/);
  });
});

describe('documents and bulk lines', () => {
  test('daily index in UTC', () => {
    expect(dailyIndex('flask-app', Date.UTC(2026, 0, 5, 23, 59))).toBe('flask-app-2026.01.05');
  });

  test('events either side of midnight UTC go to their own day\'s index', () => {
    const data = decodeSubscriptionEvent(subscriptionEvent([
      { id: 'a', timestamp: Date.UTC(2026, 10, 25, 23, 59, 59, 999), message: 'late' },
      { id: 'b', timestamp: Date.UTC(2026, 10, 26, 0, 0, 0, 0), message: 'early' },
      { id: 'c', timestamp: Date.UTC(2026, 10, 25, 0, 0, 0, 0), message: 'first' },
    ]));
    expect(toDocuments(data, 'svc').map((d) => d.index)).toEqual(['svc-2026.11.25', 'svc-2026.11.26', 'svc-2026.11.25']);
  });

  test('JSON messages are kept parsed under app, never beside the shipper\'s fields; plain ones kept as message', () => {
    const data = decodeSubscriptionEvent(subscriptionEvent([
      { id: 'a', timestamp: Date.UTC(2026, 10, 25), message: '{"level":"error","path":"/x"}' },
      { id: 'b', timestamp: Date.UTC(2026, 10, 25), message: 'plain line' },
    ]));
    const docs = toDocuments(data, 'flask-app');
    expect(docs[0].source).toMatchObject({ 'app': { level: 'error', path: '/x' }, '@timestamp': '2026-11-25T00:00:00.000Z', 'log_group': '/slipway/flask-app/app' });
    expect(docs[0].source).not.toHaveProperty('level');
    expect(docs[1].source).not.toHaveProperty('app');
    expect(docs[1].source.message).toBe('plain line');
  });

  test('an app field named like ours (or one that changes type) cannot reach the mapped top-level fields', () => {
    const data = decodeSubscriptionEvent(subscriptionEvent([
      { id: 'a', timestamp: Date.UTC(2026, 10, 25), message: '{"message":{"nested":true},"@timestamp":"not a date","status":200}' },
      { id: 'b', timestamp: Date.UTC(2026, 10, 25), message: '{"status":"ok"}' },
    ]));
    const [first, second] = toDocuments(data, 'flask-app');
    expect(first.source['@timestamp']).toBe('2026-11-25T00:00:00.000Z');
    expect(typeof first.source.message).toBe('string');
    // Every top-level key is one the index template maps with a fixed type; the rest sits under the flat_object `app`.
    const mapped = Object.keys((indexTemplate({ indexPrefix: 'flask-app', retentionDays: 30, readerRoleArns: [] }) as any).template.mappings.properties);
    for (const doc of [first, second]) expect(Object.keys(doc.source).filter((k) => !mapped.includes(k))).toEqual([]);
    expect([first.source.app, second.source.app]).toEqual([{ 'message': { nested: true }, '@timestamp': 'not a date', 'status': 200 }, { status: 'ok' }]);
  });

  test('the bulk body is action line + source line per document, newline-terminated, _id = event id', () => {
    const docs = toDocuments(decodeSubscriptionEvent(subscriptionEvent(events(2))), 'flask-app');
    const lines = bulkBody(docs).split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[4]).toBe('');
    expect(JSON.parse(lines[0])).toEqual({ index: { _index: 'flask-app-2026.11.25', _id: docs[0].id } });
    expect(JSON.parse(lines[1]).message).toBe(docs[0].source.message);
  });
});
