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

/** What every phase of one scan shares: the deps, the request and the poll settings. */
interface ScanRun {
  readonly deps: ScanDependencies;
  readonly request: ScanRequest;
  readonly intervalMs: number;
  readonly timing: Pick<ScanDependencies, 'clock' | 'sleep' | 'random' | 'signal'>;
  readonly onThrottle: (error: unknown, waitMs: number) => void;
  /** Status reads change nothing, so a passing server error or dropped connection is retried a few times. */
  readonly readOnly: { transientRetries: number; onTransient: (e: unknown, waitMs: number, retry: number) => void };
}

/** create → upload every segment → start → wait for the end → read the findings; cancelled remotely on timeout or cancellation. */
export async function runPipelineScan(deps: ScanDependencies, request: ScanRequest): Promise<ScanOutcome> {
  const run: ScanRun = {
    deps,
    request,
    intervalMs: request.pollIntervalMs ?? 10_000,
    timing: { clock: deps.clock, sleep: deps.sleep, random: deps.random, signal: deps.signal },
    onThrottle: (_, waitMs) => deps.log(`Veracode asked us to slow down (HTTP 429); waiting ${formatDuration(waitMs)}`),
    readOnly: {
      transientRetries: READ_ONLY_TRANSIENT_RETRIES,
      onTransient: (e, waitMs, retry) => deps.log(`${(e as Error).message}; retry ${retry} of ${READ_ONLY_TRANSIENT_RETRIES} in ${formatDuration(waitMs)}`),
    },
  };
  const created = await createScan(run);
  const scanId = created.scanId;
  try {
    const expected = await uploadSegments(run, created);
    await startScan(run, scanId);
    const deadline = (deps.clock?.now() ?? Date.now()) + request.timeoutMs;
    await waitForScanEnd(run, scanId);
    const findingsDocument = await readFindings(run, scanId, Math.max(1, deadline - (deps.clock?.now() ?? Date.now())));
    return { scanId, findingsDocument, segments: expected };
  } catch (error) {
    if (error instanceof CancelledError || error instanceof PollTimeoutError) {
      await cancelQuietly(deps, scanId);
    }
    throw error;
  }
}

/** One call, repeated only while Veracode answers 429. */
async function once<T>(run: ScanRun, what: string, call: () => Promise<T>): Promise<T> {
  const { intervalMs, onThrottle, timing } = run;
  const check = async (): Promise<{ done: true; value: T }> => ({ done: true, value: await call() });
  return (await poll<T>({ what, check, intervalMs, timeoutMs: CALL_THROTTLE_BUDGET_MS, onThrottle, ...timing })).value;
}

async function createScan(run: ScanRun): Promise<ScanDetails> {
  const { deps, request } = run;
  const binaryHash = sha256Hex(request.bytes);
  const created = await once(run, `creating the scan of ${request.binaryName}`, () =>
    deps.api.createScan({ ...request.project, binaryName: request.binaryName, binarySize: request.bytes.length, binaryHash }),
  );
  request.onScanId?.(created.scanId);
  deps.log(`Created pipeline scan ${created.scanId} for ${request.binaryName} (${request.bytes.length} bytes, sha256 ${binaryHash})`);
  return created;
}

/** Every segment the API asked for, each answer checked to count one more; returns how many. */
async function uploadSegments(run: ScanRun, created: ScanDetails): Promise<number> {
  const { deps, request } = run;
  const { scanId, binarySegmentsExpected: expected } = created;
  if (expected === undefined || expected < 1) {
    throw new ActionError(`scan ${scanId} could not start: the API did not say how many segments to upload (binary_segments_expected is ${JSON.stringify(expected)}).`);
  }
  let uploadHref = created.uploadHref;
  for (const [index, range] of segmentRanges(request.bytes.length, expected).entries()) {
    const part = request.bytes.subarray(range.start, range.end);
    const after: ScanDetails = await once(run, `uploading segment ${index} of scan ${scanId}`, () =>
      deps.api.uploadSegment(scanId, index, part, request.binaryName, uploadHref),
    );
    if (after.binarySegmentsUploaded !== undefined && after.binarySegmentsUploaded !== index + 1) {
      throw new ActionError(
        `scan ${scanId} could not start: after uploading segment ${index} the API counts ${after.binarySegmentsUploaded} of ${expected} segments uploaded (expected ${index + 1}).`,
      );
    }
    uploadHref = after.uploadHref;
    deps.log(`Uploaded segment ${index + 1}/${expected} (${part.length} bytes)`);
  }
  return expected;
}

async function startScan(run: ScanRun, scanId: string): Promise<void> {
  const started = await once(run, `starting scan ${scanId}`, () => run.deps.api.startScan(scanId));
  if ((FAILED_STATUSES as readonly string[]).includes(started.scanStatus)) {
    throw new ActionError(`scan ${scanId} could not start: the API answered scan_status ${started.scanStatus}${started.message ? `: ${started.message}` : ''}.`);
  }
  run.deps.log(`Started scan ${scanId}; waiting up to ${formatDuration(run.request.timeoutMs)} for it to finish`);
}

/** Pure: what one status means; an unknown one fails closed. */
export function judgeScanStatus(scanId: string, details: ScanDetails): { done: true; value: ScanDetails } | { done: false; state: string } {
  if (details.scanStatus === SUCCESS_STATUS) return { done: true, value: details };
  if ((FAILED_STATUSES as readonly string[]).includes(details.scanStatus)) {
    throw new ActionError(`scan ${scanId} ended with ${details.scanStatus}${details.message ? `: ${details.message}` : ' (the API gave no message)'}.`);
  }
  if (!(ACTIVE_STATUSES as readonly string[]).includes(details.scanStatus)) {
    const known = [...ACTIVE_STATUSES, SUCCESS_STATUS, ...FAILED_STATUSES].join(', ');
    throw new ActionError(`scan ${scanId} reports scan_status '${details.scanStatus}', which this action does not know; failing rather than guessing. Known: ${known}.`);
  }
  return { done: false, state: details.scanStatus };
}

async function waitForScanEnd(run: ScanRun, scanId: string): Promise<void> {
  const { intervalMs, onThrottle, readOnly, timing } = run;
  await poll<ScanDetails>({
    what: `scan ${scanId}`,
    intervalMs,
    timeoutMs: run.request.timeoutMs,
    onThrottle,
    ...readOnly,
    ...timing,
    check: async () => judgeScanStatus(scanId, await run.deps.api.getScan(scanId)),
  });
}

/** The findings, polled while the API answers 202, within what is left of the scan's timeout. */
async function readFindings(run: ScanRun, scanId: string, timeoutMs: number): Promise<unknown> {
  const { intervalMs, onThrottle, readOnly, timing } = run;
  const findings = await poll<unknown>({
    what: `the findings of scan ${scanId}`,
    intervalMs,
    timeoutMs,
    onThrottle,
    ...readOnly,
    ...timing,
    check: async () => {
      const document = await run.deps.api.getFindings(scanId);
      return document === undefined ? { done: false, state: 'results not ready (HTTP 202)' } : { done: true, value: document };
    },
  });
  return findings.value;
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
