/**
 * Reads an OpenSearch `_bulk` response item by item. A 429 (the domain's
 * write queue is full) is worth retrying; any other error is final.
 */
import type { LogDocument } from './documents';

export interface FailedDocument {
  readonly id: string;
  readonly index: string;
  readonly status: number;
  readonly reason: string;
}

export interface BulkOutcome {
  readonly succeeded: number;
  readonly retryable: readonly LogDocument[];
  readonly failed: readonly FailedDocument[];
}

interface BulkItemResult {
  readonly status?: number;
  readonly error?: { readonly type?: string; readonly reason?: string } | string;
}

export const THROTTLED = 429;

export function readBulkResponse(docs: readonly LogDocument[], body: string): BulkOutcome {
  let parsed: { items?: unknown };
  try {
    parsed = JSON.parse(body) as { items?: unknown };
  } catch (e) {
    throw new Error(`the _bulk response is not JSON (${(e as Error).message}): ${body.slice(0, 200)}`);
  }
  const items = parsed.items;
  if (!Array.isArray(items) || items.length !== docs.length) {
    throw new Error(
      `the _bulk response has ${Array.isArray(items) ? items.length : 'no'} items for ${docs.length} documents; cannot tell which were stored`,
    );
  }
  let succeeded = 0;
  const retryable: LogDocument[] = [];
  const failed: FailedDocument[] = [];
  items.forEach((item: unknown, i: number) => {
    const doc = docs[i];
    const result = Object.values((item ?? {}) as Record<string, BulkItemResult>)[0] ?? {};
    const status = typeof result.status === 'number' ? result.status : 0;
    if (status >= 200 && status < 300 && !result.error) {
      succeeded++;
    } else if (status === THROTTLED) {
      retryable.push(doc);
    } else {
      failed.push({ id: doc.id, index: doc.index, status, reason: describeError(result.error) });
    }
  });
  return { succeeded, retryable, failed };
}

function describeError(error: BulkItemResult['error']): string {
  if (!error) return 'no status in the response item';
  if (typeof error === 'string') return error;
  return [error.type, error.reason].filter(Boolean).join(': ') || JSON.stringify(error);
}
