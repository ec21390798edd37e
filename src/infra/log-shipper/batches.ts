/**
 * Splits documents into `_bulk` requests that each stay under the domain's
 * HTTP request size limit. A single document larger than the limit can never
 * be sent, so it is reported as rejected instead of breaking the batch.
 */
import { LogDocument, bulkEntry } from './documents';

export interface Batch {
  readonly documents: readonly LogDocument[];
  /** The `_bulk` request body, serialized once while planning. */
  readonly body: string;
  /** UTF-8 size of the request body. */
  readonly bytes: number;
}

export interface BatchPlan {
  readonly batches: readonly Batch[];
  /** Documents that alone exceed the limit, with their size. */
  readonly oversized: readonly { readonly document: LogDocument; readonly bytes: number }[];
}

export function planBatches(docs: readonly LogDocument[], maxBytes: number): BatchPlan {
  if (!Number.isInteger(maxBytes) || maxBytes <= 0) {
    throw new Error(`maxBytes must be a positive whole number of bytes, got ${maxBytes}`);
  }
  const batches: Batch[] = [];
  const oversized: { document: LogDocument; bytes: number }[] = [];
  let current: LogDocument[] = [];
  let entries: string[] = [];
  let currentBytes = 0;
  const close = () => batches.push({ documents: current, body: entries.join(''), bytes: currentBytes });
  for (const document of docs) {
    const entry = bulkEntry(document);
    const bytes = Buffer.byteLength(entry, 'utf8');
    if (bytes > maxBytes) {
      oversized.push({ document, bytes });
      continue;
    }
    if (currentBytes + bytes > maxBytes) {
      close();
      current = [];
      entries = [];
      currentBytes = 0;
    }
    current.push(document);
    entries.push(entry);
    currentBytes += bytes;
  }
  if (current.length > 0) close();
  return { batches, oversized };
}
