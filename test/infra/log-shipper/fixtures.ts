import { gzipSync } from 'zlib';

export interface RawEvent {
  readonly id: string;
  readonly timestamp: number;
  readonly message: string;
}

/** A subscription payload exactly as CloudWatch Logs builds it: JSON, gzipped, base64. */
export function subscriptionEvent(logEvents: readonly RawEvent[], messageType = 'DATA_MESSAGE'): { awslogs: { data: string } } {
  const payload = {
    messageType,
    owner: '123456789012',
    logGroup: '/slipway/flask-app/app',
    logStream: 'app/app/0123456789abcdef',
    subscriptionFilters: ['flask-app-log-shipper'],
    logEvents,
  };
  return { awslogs: { data: gzipSync(Buffer.from(JSON.stringify(payload))).toString('base64') } };
}

export function events(count: number, messageBytes = 40): RawEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `3${String(i).padStart(55, '0')}`,
    timestamp: Date.UTC(2026, 10, 25, 13, 0, i % 60),
    message: `GET /health 200 request ${i} `.padEnd(messageBytes, '.'),
  }));
}

/** A `_bulk` response with the given status per item. */
export function bulkResponse(statuses: readonly number[]): string {
  return JSON.stringify({
    took: 3,
    errors: statuses.some((s) => s >= 300),
    items: statuses.map((status) => ({
      index: {
        status,
        ...(status >= 300
          ? { error: status === 429 ? { type: 'es_rejected_execution_exception', reason: 'rejected execution' } : { type: 'mapper_parsing_exception', reason: 'failed to parse field [status]' } }
          : { result: 'created' }),
      },
    })),
  });
}
