/**
 * Waiting for ECR's scan of a pushed image with the shared poller: basic
 * scanning (IN_PROGRESS → COMPLETE | FAILED | UNSUPPORTED_IMAGE) and enhanced
 * scanning (PENDING → ACTIVE | FINDINGS_UNAVAILABLE | ...). A status of
 * COMPLETE/ACTIVE is not enough: ready needs evidence that the results are in.
 */
import {
  BatchGetImageCommand,
  DescribeImageScanFindingsCommand,
  DescribeImageScanFindingsResponse,
  ECRClient,
  ImageScanFindings,
} from '@aws-sdk/client-ecr';
import { Finding, fromBasic, fromEnhanced } from './findings';
import { ScanType } from './scan-setup';
import { ActionError, Clock, PollTimeoutError, READ_ONLY_TRANSIENT_RETRIES, Random, Runner, Sleep, awsCall, awsCallError, formatDuration, poll } from '../../shared';

export type ScanState = { readonly kind: 'wait'; readonly state: string } | { readonly kind: 'ready' } | { readonly kind: 'failed'; readonly reason: string };

/** The state shown while ECR says COMPLETE/ACTIVE but the results are not in yet. */
export const NO_RESULTS_YET = 'no results yet';

/**
 * Evidence that the scan's results are in. Enhanced scanning answers
 * COMPLETE/ACTIVE with `findings: []` and nothing else before Inspector's
 * findings exist (aws/aws-sdk#289, aws/aws-cli#6759); a finished scan carries
 * imageScanCompletedAt (basic always does), or for enhanced scanning the
 * findings or their severity counts. Unknown scan type: either kind of evidence.
 */
export function hasResults(block: ImageScanFindings | undefined, scanType: ScanType | undefined): boolean {
  if (!block) return false;
  if (block.imageScanCompletedAt !== undefined) return true;
  if (scanType === 'BASIC') return false;
  return (block.enhancedFindings?.length ?? 0) > 0 || Object.values(block.findingSeverityCounts ?? {}).some((n) => n > 0);
}

/** Decide from one DescribeImageScanFindings answer, for the registry's scan type (undefined: not known). */
export function classifyScan(answer: DescribeImageScanFindingsResponse, scanType: ScanType | undefined): ScanState {
  const status = answer.imageScanStatus?.status;
  const description = answer.imageScanStatus?.description;
  const why = description ? `: ${description}` : '';
  switch (status) {
    case 'IN_PROGRESS':
    case 'PENDING':
      return { kind: 'wait', state: status };
    case 'COMPLETE':
    case 'ACTIVE':
      // Never read "no findings yet" as "clean": wait for evidence, or time out and fail.
      return hasResults(answer.imageScanFindings, scanType) ? { kind: 'ready' } : { kind: 'wait', state: `${status} (${NO_RESULTS_YET})` };
    case 'FAILED':
      return { kind: 'failed', reason: `the scan failed${why}` };
    case 'UNSUPPORTED_IMAGE':
      return { kind: 'failed', reason: `ECR cannot scan this image (UNSUPPORTED_IMAGE${why}); set 'scan-severity-threshold: NONE' to build it without a scan gate` };
    case 'FINDINGS_UNAVAILABLE':
    case 'SCAN_ELIGIBILITY_EXPIRED':
    case 'LIMIT_EXCEEDED':
    case 'IMAGE_ARCHIVED':
      return { kind: 'failed', reason: `the scan reported ${status}${why}` };
    case undefined:
      return { kind: 'failed', reason: 'DescribeImageScanFindings returned no imageScanStatus.status' };
    default:
      return { kind: 'failed', reason: `the scan reported status '${String(status)}', which this action does not know, so it fails closed` };
  }
}

export interface ScanDeps {
  readonly ecr: ECRClient;
  readonly runner: Pick<Runner, 'info'>;
  readonly clock: Clock;
  readonly sleep: Sleep;
  readonly random: Random;
  readonly signal?: AbortSignal;
}

export interface ScanRequest {
  readonly repository: string;
  readonly imageDigest: string;
  readonly timeoutMs: number;
  readonly intervalMs: number;
  /** The registry's scan type; undefined when it could not be read. */
  readonly scanType?: ScanType;
}

const NOT_STARTED = 'not started';

function findingsOf(answer: DescribeImageScanFindingsResponse, digest: string): Finding[] {
  const block = answer.imageScanFindings;
  return [
    ...(block?.findings ?? []).map((f) => fromBasic(f, digest)),
    ...(block?.enhancedFindings ?? []).map((f) => fromEnhanced(f, digest)).filter((f): f is Finding => f !== undefined),
  ];
}

/** Waits until the scan of one manifest is final, then returns all its findings (every page). */
export async function waitForScan(request: ScanRequest, deps: ScanDeps): Promise<Finding[]> {
  const describe = (nextToken?: string): Promise<DescribeImageScanFindingsResponse> => deps.ecr.send(new DescribeImageScanFindingsCommand({
    repositoryName: request.repository,
    imageId: { imageDigest: request.imageDigest },
    maxResults: 1000,
    nextToken,
  }));
  let last = '';
  try {
    const { value: first } = await poll<DescribeImageScanFindingsResponse>({
      what: `the scan of ${request.repository}@${request.imageDigest}`,
      intervalMs: request.intervalMs,
      timeoutMs: request.timeoutMs,
      clock: deps.clock,
      sleep: deps.sleep,
      random: deps.random,
      signal: deps.signal,
      // A status read changes nothing: ride out a passing ECR server error or dropped connection.
      transientRetries: READ_ONLY_TRANSIENT_RETRIES,
      onTransient: (e, waitMs, retry) => deps.runner.info(`${(e as Error).message}; retry ${retry} of ${READ_ONLY_TRANSIENT_RETRIES} in ${formatDuration(waitMs)}`),
      check: async () => {
        let answer: DescribeImageScanFindingsResponse;
        try {
          answer = await describe();
        } catch (e) {
          // Scan on push starts a moment after the push: not found yet means wait.
          if ((e as Error).name === 'ScanNotFoundException') return { done: false, state: NOT_STARTED };
          throw awsCallError('ECR DescribeImageScanFindings', e);
        }
        const state = classifyScan(answer, request.scanType);
        if (state.kind === 'failed') throw new ActionError(`${request.repository}@${request.imageDigest}: ${state.reason}`);
        const shown = state.kind === 'wait' ? state.state : 'done';
        if (shown !== last) deps.runner.info(`scan of ${request.imageDigest.slice(0, 19)}: ${shown}`);
        last = shown;
        return state.kind === 'ready' ? { done: true, value: answer } : { done: false, state: state.state };
      },
    });
    const findings = findingsOf(first, request.imageDigest);
    for (let token = first.nextToken; token;) {
      const page = await describe(token).catch((e: unknown) => { throw awsCallError('ECR DescribeImageScanFindings', e); });
      findings.push(...findingsOf(page, request.imageDigest));
      token = page.nextToken;
    }
    return findings;
  } catch (e) {
    if (e instanceof PollTimeoutError) {
      const hint = e.lastState === NOT_STARTED
        ? `no scan started: turn on scan on push (basic scanning) or enhanced scanning for repository '${request.repository}', or set 'scan-severity-threshold: NONE'`
        : e.lastState?.endsWith(`(${NO_RESULTS_YET})`)
          ? `ECR said ${e.lastState.split(' ')[0]} but no results arrived (no imageScanCompletedAt, findings or severity counts; enhanced scanning reports its status before Inspector's findings exist, aws/aws-sdk#289), so the image was never checked; raise scan-timeout-minutes if Inspector is slow here`
          : `the last state seen was ${e.lastState}; raise scan-timeout-minutes if scans here are slow`;
      throw new ActionError(`the scan of ${request.repository}@${request.imageDigest} did not finish within ${formatDuration(request.timeoutMs)}: ${hint}.`);
    }
    throw e;
  }
}

const INDEX_TYPES = ['application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json'];
const MANIFEST_TYPES = ['application/vnd.oci.image.manifest.v1+json', 'application/vnd.docker.distribution.manifest.v2+json'];

interface IndexManifest {
  readonly manifests?: readonly { readonly digest?: string; readonly annotations?: Readonly<Record<string, string>> }[];
}

export interface PushedImage {
  /** The digest the tag resolves to in ECR (equal to what the builder reported). */
  readonly digest: string;
  /** The manifests ECR scans: the image itself, or each platform image of an index (attestations left out). */
  readonly scanDigests: readonly string[];
}

/** Confirms in ECR that `tag` points at the digest the builder reported, and finds what to scan. */
export async function resolvePushedImage(ecr: ECRClient, repository: string, tag: string, reported: string): Promise<PushedImage> {
  const got = await awsCall('ECR BatchGetImage', () => ecr.send(new BatchGetImageCommand({
    repositoryName: repository,
    imageIds: [{ imageTag: tag }],
    acceptedMediaTypes: [...INDEX_TYPES, ...MANIFEST_TYPES],
  })));
  const image = got.images?.[0];
  if (!image?.imageManifest || !image.imageId?.imageDigest) {
    const failure = got.failures?.[0];
    throw new ActionError(`ECR has no image ${repository}:${tag} after the push${failure ? ` (${failure.failureCode}: ${failure.failureReason})` : ''}`);
  }
  if (image.imageId.imageDigest !== reported) {
    throw new ActionError(`ECR says ${repository}:${tag} is ${image.imageId.imageDigest}, but the builder reported pushing ${reported}; another push may have raced this one`);
  }
  const manifest = JSON.parse(image.imageManifest) as IndexManifest & { mediaType?: string };
  const mediaType = image.imageManifestMediaType ?? manifest.mediaType;
  if (!mediaType || !INDEX_TYPES.includes(mediaType)) return { digest: reported, scanDigests: [reported] };
  const children = (manifest.manifests ?? [])
    .filter((m) => m.annotations?.['vnd.docker.reference.type'] !== 'attestation-manifest')
    .map((m) => m.digest)
    .filter((d): d is string => typeof d === 'string');
  if (children.length === 0) throw new ActionError(`image index ${repository}:${tag} (${reported}) lists no platform images to scan`);
  return { digest: reported, scanDigests: children };
}
