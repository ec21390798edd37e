/**
 * Waiting for ECR's scan of a pushed image with the shared poller: basic
 * scanning (IN_PROGRESS → COMPLETE | FAILED | UNSUPPORTED_IMAGE) and enhanced
 * scanning (PENDING → ACTIVE | FINDINGS_UNAVAILABLE | ...). A scan that says
 * COMPLETE/ACTIVE before its findings exist is waited on, not passed.
 */
import {
  BatchGetImageCommand,
  DescribeImageScanFindingsCommand,
  DescribeImageScanFindingsResponse,
  ECRClient,
} from '@aws-sdk/client-ecr';
import { Finding, fromBasic, fromEnhanced } from './findings';
import { ActionError, Clock, PollTimeoutError, Random, Runner, Sleep, awsCall, awsCallError, formatDuration, poll } from '../../shared';

export type ScanState = { readonly kind: 'wait'; readonly state: string } | { readonly kind: 'ready' } | { readonly kind: 'failed'; readonly reason: string };

/** Decide from one DescribeImageScanFindings answer. */
export function classifyScan(answer: DescribeImageScanFindingsResponse): ScanState {
  const status = answer.imageScanStatus?.status;
  const description = answer.imageScanStatus?.description;
  const why = description ? `: ${description}` : '';
  switch (status) {
    case 'IN_PROGRESS':
    case 'PENDING':
      return { kind: 'wait', state: status };
    case 'COMPLETE':
    case 'ACTIVE':
      // Findings can trail the status; an absent findings block is "not yet", never "clean".
      return answer.imageScanFindings ? { kind: 'ready' } : { kind: 'wait', state: `${status} (findings not yet available)` };
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
      check: async () => {
        let answer: DescribeImageScanFindingsResponse;
        try {
          answer = await describe();
        } catch (e) {
          // Scan on push starts a moment after the push: not found yet means wait.
          if ((e as Error).name === 'ScanNotFoundException') return { done: false, state: NOT_STARTED };
          throw awsCallError('ECR DescribeImageScanFindings', e);
        }
        const state = classifyScan(answer);
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
