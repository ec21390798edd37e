/**
 * Sends documents to OpenSearch in size-bounded `_bulk` requests, retries
 * throttled documents with full-jitter backoff, and returns every document
 * that could not be stored. The HTTP call and the clock are injected, so this
 * runs unchanged in the Lambda and in tests.
 */
import { planBatches } from './batches';
import { FailedDocument, THROTTLED, readBulkResponse } from './bulk-response';
import type { LogDocument } from './documents';

export interface BulkHttpResponse {
  readonly status: number;
  readonly body: string;
}

/** POSTs one `_bulk` body (newline-delimited JSON) and returns the HTTP status and body. */
export type SendBulk = (body: string) => Promise<BulkHttpResponse>;

export interface ShipOptions {
  readonly send: SendBulk;
  /** Largest request body in bytes; keep it under the domain's http.max_content_length. */
  readonly maxRequestBytes: number;
  /** Attempts per document, the first included. @default 5 */
  readonly maxAttempts?: number;
  /** First backoff ceiling in ms; doubles each attempt. @default 200 */
  readonly baseDelayMs?: number;
  /** Largest backoff in ms. @default 5000 */
  readonly maxDelayMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Returns [0, 1); injectable so tests know the jitter. @default Math.random */
  readonly random?: () => number;
}

export interface ShipResult {
  readonly requests: number;
  readonly succeeded: number;
  readonly failed: readonly FailedDocument[];
}

/** Whole-request statuses that mean "try again later", not "this data is bad". */
const RETRYABLE_STATUSES = new Set([THROTTLED, 502, 503, 504]);

export async function shipDocuments(docs: readonly LogDocument[], options: ShipOptions): Promise<ShipResult> {
  const maxAttempts = options.maxAttempts ?? 5;
  const baseDelayMs = options.baseDelayMs ?? 200;
  const maxDelayMs = options.maxDelayMs ?? 5000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;

  const failed: FailedDocument[] = [];
  let succeeded = 0;
  let requests = 0;
  let pending: readonly LogDocument[] = docs;

  for (let attempt = 1; pending.length > 0; attempt++) {
    if (attempt > 1) {
      const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 2));
      await sleep(Math.floor(random() * ceiling));
    }
    const plan = planBatches(pending, options.maxRequestBytes);
    for (const { document, bytes } of plan.oversized) {
      failed.push({
        id: document.id,
        index: document.index,
        status: 413,
        reason: `the document is ${bytes} bytes, above the ${options.maxRequestBytes}-byte request limit`,
      });
    }
    const retry: LogDocument[] = [];
    for (const batch of plan.batches) {
      requests++;
      const response = await options.send(batch.body);
      if (RETRYABLE_STATUSES.has(response.status)) {
        retry.push(...batch.documents);
        continue;
      }
      if (response.status < 200 || response.status >= 300) {
        const reason = `the _bulk request failed with HTTP ${response.status}: ${response.body.slice(0, 300)}`;
        failed.push(...batch.documents.map((d) => ({ id: d.id, index: d.index, status: response.status, reason })));
        continue;
      }
      const outcome = readBulkResponse(batch.documents, response.body);
      succeeded += outcome.succeeded;
      failed.push(...outcome.failed);
      retry.push(...outcome.retryable);
    }
    if (retry.length > 0 && attempt >= maxAttempts) {
      failed.push(
        ...retry.map((d) => ({ id: d.id, index: d.index, status: THROTTLED, reason: `still throttled after ${maxAttempts} attempts` })),
      );
      break;
    }
    pending = retry;
  }
  return { requests, succeeded, failed };
}
