/**
 * Turns decoded log events into OpenSearch documents and `_bulk` request
 * bodies. Each document carries the CloudWatch event id as its `_id`, so a
 * retried or redelivered event overwrites itself instead of duplicating.
 */
import type { LogsData } from './payload';

export interface LogDocument {
  /** The CloudWatch event id, used as the OpenSearch `_id`. */
  readonly id: string;
  readonly index: string;
  readonly source: Readonly<Record<string, unknown>>;
}

/** One index per day, `<prefix>-YYYY.MM.DD` (UTC), the usual layout for log retention by index. */
export function dailyIndex(prefix: string, timestampMs: number): string {
  const d = new Date(timestampMs);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${prefix}-${d.getUTCFullYear()}.${pad(d.getUTCMonth() + 1)}.${pad(d.getUTCDate())}`;
}

/** A JSON object message is also kept parsed (the `app` field); anything else stays a plain message only. */
function parseMessage(message: string): Record<string, unknown> | undefined {
  const trimmed = message.trim();
  if (!trimmed.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(trimmed);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const DAY_MS = 86_400_000;

export function toDocuments(data: LogsData, indexPrefix: string): LogDocument[] {
  if (data.messageType !== 'DATA_MESSAGE') return [];
  // A payload's events span a day or two: name each day's index once.
  const indexByDay = new Map<number, string>();
  const indexOf = (timestamp: number): string => {
    const day = Math.floor(timestamp / DAY_MS);
    let index = indexByDay.get(day);
    if (index === undefined) {
      index = dailyIndex(indexPrefix, timestamp);
      indexByDay.set(day, index);
    }
    return index;
  };
  return data.logEvents.map((event) => {
    const app = parseMessage(event.message);
    return {
      id: event.id,
      index: indexOf(event.timestamp),
      source: {
        // The app's own fields stay under `app` (a flat_object in the index template), so no field of theirs can
        // collide with ours or change type between events and get a whole batch rejected.
        ...(app ? { app } : {}),
        '@timestamp': new Date(event.timestamp).toISOString(),
        'message': event.message,
        'log_group': data.logGroup,
        'log_stream': data.logStream,
        'aws_account': data.owner,
      },
    };
  });
}

/** The two `_bulk` lines of one document, each ending in a newline as the API requires. */
export function bulkEntry(doc: LogDocument): string {
  return `${JSON.stringify({ index: { _index: doc.index, _id: doc.id } })}\n${JSON.stringify(doc.source)}\n`;
}

export function bulkBody(docs: readonly LogDocument[]): string {
  return docs.map(bulkEntry).join('');
}
