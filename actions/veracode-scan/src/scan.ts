/**
 * One pipeline scan from file bytes to findings: create, upload every
 * segment, start, wait for SUCCESS, wait for the findings. Each step fails
 * closed with what was seen; throttling (429) backs off through the shared
 * poller; a cancelled or timed-out wait cancels the remote scan.
 */
import { createHash } from 'crypto';
import { ACTIVE_STATUSES, CreateScanRequest, FAILED_STATUSES, PipelineScanApi, SUCCESS_STATUS, ScanDetails } from './pipeline-scan-api';
import { ActionError, CancelledError, PollTimeoutError } from '../../shared/errors';
import { HttpStatusError } from '../../shared/http';
import { READ_ONLY_TRANSIENT_RETRIES, poll, formatDuration } from '../../shared/poller';
import { Clock, Random, Sleep } from '../../shared/time';

export interface ScanDependencies {
  readonly api: PipelineScanApi;
  readonly clock?: Clock;
  readonly sleep?: Sleep;
  readonly random?: Random;
  readonly signal?: AbortSignal;
  readonly log: (message: string) => void;
}

export interface ScanRequest {
  readonly bytes: Uint8Array;
  readonly binaryName: string;
  readonly project?: Omit<CreateScanRequest, 'binaryName' | 'binarySize' | 'binaryHash'>;
  /** Overall wait for the scan and its findings. */
  readonly timeoutMs: number;
  /** Wait between status checks. @default 10 000 */
  readonly pollIntervalMs?: number;
  /** Told the scan id the moment the API gives it (so it can be an output even if a later step fails). */
  readonly onScanId?: (scanId: string) => void;
}

export interface ScanOutcome {
  readonly scanId: string;
  readonly findingsDocument: unknown;
  readonly segments: number;
}

/** How long a single create/upload/start call may keep being throttled before we give up. */
const CALL_THROTTLE_BUDGET_MS = 5 * 60_000;

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Segment boundaries: `expected` consecutive slices covering `size` bytes, all but the last of equal size. */
export function segmentRanges(size: number, expected: number): { start: number; end: number }[] {
  const length = Math.ceil(size / expected);
  return Array.from({ length: expected }, (_, i) => ({ start: Math.min(size, i * length), end: Math.min(size, (i + 1) * length) }));
}

export async function runPipelineScan(deps: ScanDependencies, request: ScanRequest): Promise<ScanOutcome> {
  const intervalMs = request.pollIntervalMs ?? 10_000;
  const timing = { clock: deps.clock, sleep: deps.sleep, random: deps.random, signal: deps.signal };
  const onThrottle = (_: unknown, waitMs: number): void => deps.log(`Veracode asked us to slow down (HTTP 429); waiting ${formatDuration(waitMs)}`);
  // Status reads change nothing, so a passing server error or dropped connection is retried a few times.
  const readOnly = {
    transientRetries: READ_ONLY_TRANSIENT_RETRIES,
    onTransient: (e: unknown, waitMs: number, retry: number): void =>
      deps.log(`${(e as Error).message}; retry ${retry} of ${READ_ONLY_TRANSIENT_RETRIES} in ${formatDuration(waitMs)}`),
  };

  /** One call, repeated only while Veracode answers 429. */
  const once = async <T>(what: string, call: () => Promise<T>): Promise<T> =>
    (await poll<T>({
      what, check: async () => ({ done: true, value: await call() }), intervalMs, timeoutMs: CALL_THROTTLE_BUDGET_MS, onThrottle, ...timing,
    })).value;

  const binaryHash = sha256Hex(request.bytes);
  const created = await once(`creating the scan of ${request.binaryName}`, () =>
    deps.api.createScan({ ...request.project, binaryName: request.binaryName, binarySize: request.bytes.length, binaryHash }),
  );
  const scanId = created.scanId;
  request.onScanId?.(scanId);
  deps.log(`Created pipeline scan ${scanId} for ${request.binaryName} (${request.bytes.length} bytes, sha256 ${binaryHash})`);

  try {
    const expected = created.binarySegmentsExpected;
    if (expected === undefined || expected < 1) {
      throw new ActionError(`scan ${scanId} could not start: the API did not say how many segments to upload (binary_segments_expected is ${JSON.stringify(expected)}).`);
    }
    let uploadHref = created.uploadHref;
    const ranges = segmentRanges(request.bytes.length, expected);
    for (const [index, range] of ranges.entries()) {
      const part = request.bytes.subarray(range.start, range.end);
      const after: ScanDetails = await once(`uploading segment ${index} of scan ${scanId}`, () =>
        deps.api.uploadSegment(scanId, index, part, request.binaryName, uploadHref),
      );
      if (after.binarySegmentsUploaded !== undefined && after.binarySegmentsUploaded !== index + 1) {
        throw new ActionError(`scan ${scanId} could not start: after uploading segment ${index} the API counts ${after.binarySegmentsUploaded} of ${expected} segments uploaded (expected ${index + 1}).`);
      }
      uploadHref = after.uploadHref;
      deps.log(`Uploaded segment ${index + 1}/${expected} (${part.length} bytes)`);
    }

    const started = await once(`starting scan ${scanId}`, () => deps.api.startScan(scanId));
    if ((FAILED_STATUSES as readonly string[]).includes(started.scanStatus)) {
      throw new ActionError(`scan ${scanId} could not start: the API answered scan_status ${started.scanStatus}${started.message ? `: ${started.message}` : ''}.`);
    }
    deps.log(`Started scan ${scanId}; waiting up to ${formatDuration(request.timeoutMs)} for it to finish`);

    const deadline = (deps.clock?.now() ?? Date.now()) + request.timeoutMs;
    await poll<ScanDetails>({
      what: `scan ${scanId}`,
      intervalMs,
      timeoutMs: request.timeoutMs,
      onThrottle,
      ...readOnly,
      ...timing,
      check: async () => {
        const details = await deps.api.getScan(scanId);
        if (details.scanStatus === SUCCESS_STATUS) return { done: true, value: details };
        if ((FAILED_STATUSES as readonly string[]).includes(details.scanStatus)) {
          throw new ActionError(`scan ${scanId} ended with ${details.scanStatus}${details.message ? `: ${details.message}` : ' (the API gave no message)'}.`);
        }
        if (!(ACTIVE_STATUSES as readonly string[]).includes(details.scanStatus)) {
          throw new ActionError(`scan ${scanId} reports scan_status '${details.scanStatus}', which this action does not know; failing rather than guessing. Known: ${[...ACTIVE_STATUSES, SUCCESS_STATUS, ...FAILED_STATUSES].join(', ')}.`);
        }
        return { done: false, state: details.scanStatus };
      },
    });

    const remaining = Math.max(1, deadline - (deps.clock?.now() ?? Date.now()));
    const findings = await poll<unknown>({
      what: `the findings of scan ${scanId}`,
      intervalMs,
      timeoutMs: remaining,
      onThrottle,
      ...readOnly,
      ...timing,
      check: async () => {
        const document = await deps.api.getFindings(scanId);
        return document === undefined ? { done: false, state: 'results not ready (HTTP 202)' } : { done: true, value: document };
      },
    });
    return { scanId, findingsDocument: findings.value, segments: expected };
  } catch (error) {
    if (error instanceof CancelledError || error instanceof PollTimeoutError) {
      await cancelQuietly(deps, scanId);
    }
    throw error;
  }
}

/** Best effort: the job is already failing; a failed cancel is logged, not thrown over the real reason. */
async function cancelQuietly(deps: ScanDependencies, scanId: string): Promise<void> {
  try {
    await deps.api.cancelScan(scanId);
    deps.log(`Cancelled scan ${scanId}`);
  } catch (error) {
    const why = error instanceof HttpStatusError ? `HTTP ${error.status}` : error instanceof Error ? error.message : String(error);
    deps.log(`Could not cancel scan ${scanId} (${why}); Veracode ends it at its own 60-minute limit`);
  }
}
