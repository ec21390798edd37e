/**
 * A small ECR that keeps the rules the image action depends on: a repository
 * with tag mutability and scan on push, the registry scanning configuration,
 * images by tag (an immutable tag refuses a second push), and scan answers per
 * digest returned in order, the last one repeating, as ECR's scan moves on.
 * The same handlers serve aws-sdk-client-mock (unit tests) and the local AWS
 * JSON server (bundle runs); errors carry ECR's documented exception names.
 */
import {
  BatchGetImageCommand,
  DescribeImageScanFindingsCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetAuthorizationTokenCommand,
  GetRegistryScanningConfigurationCommand,
  ImageTagMutability,
  RegistryScanningConfiguration,
} from '@aws-sdk/client-ecr';
import { AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { AwsErrorReply, AwsHandler } from '../support/aws-json-server';

export const ACCOUNT = '123456789012';
export const MANIFEST_TYPE = 'application/vnd.oci.image.manifest.v1+json';

/** One DescribeImageScanFindings answer (JSON as ECR sends it), or an ECR error to raise. */
export type ScanAnswer = Record<string, unknown> | AwsErrorReply;

export interface FakeEcrOptions {
  readonly repository?: string;
  readonly mutability?: ImageTagMutability;
  readonly scanOnPush?: boolean;
  /** undefined: no registry configuration stored (ECR then reports BASIC with no rules). */
  readonly registryScanning?: RegistryScanningConfiguration;
  readonly password?: string;
  readonly proxyEndpoint?: string;
}

export function scanNotFound(repository: string, digest: string): AwsErrorReply {
  return new AwsErrorReply('ScanNotFoundException', `Image scan does not exist for the image with '{imageDigest:'${digest}', imageTag:'null'}' in the repository with name '${repository}' in the registry with id '${ACCOUNT}'`);
}

export class FakeEcr {
  readonly repository: string;
  readonly mutability: ImageTagMutability;
  /** tag → digest */
  readonly tags = new Map<string, string>();
  /** digest → manifest JSON */
  readonly manifests = new Map<string, string>();
  /** digest → the scan answers still to give, in order. */
  readonly scans = new Map<string, ScanAnswer[]>();
  readonly calls: string[] = [];
  /** One handler per ECR operation, taking and giving JSON as on the wire. */
  readonly handlers: Readonly<Record<string, AwsHandler>>;
  private readonly options: FakeEcrOptions;

  constructor(options: FakeEcrOptions = {}) {
    this.options = options;
    this.repository = options.repository ?? 'flask-app';
    this.mutability = options.mutability ?? 'IMMUTABLE';
    this.handlers = this.operations();
  }

  /** What a builder's push does: an immutable tag already present is refused with the registry's own words. */
  push(tag: string, digest: string, manifest = JSON.stringify({ schemaVersion: 2, mediaType: MANIFEST_TYPE })): void {
    if (this.tags.has(tag) && this.mutability === 'IMMUTABLE') {
      throw new Error(`tag invalid: The image tag '${tag}' already exists in the '${this.repository}' repository and cannot be overwritten because the repository is immutable.`);
    }
    this.tags.set(tag, digest);
    this.manifests.set(digest, manifest);
  }

  /** The scan of `digest` will answer these, in order; the last repeats. */
  scanAnswers(digest: string, ...answers: ScanAnswer[]): void {
    this.scans.set(digest, answers);
  }

  private notFound(tag: string): AwsErrorReply {
    return new AwsErrorReply('ImageNotFoundException', `The image with imageId {imageDigest:'null', imageTag:'${tag}'} does not exist within the repository with name '${this.repository}' in the registry with id '${ACCOUNT}'`);
  }

  private checkRepository(name: unknown): void {
    if (name !== this.repository) {
      throw new AwsErrorReply('RepositoryNotFoundException', `The repository with name '${String(name)}' does not exist in the registry with id '${ACCOUNT}'`);
    }
  }

  private operations(): Record<string, AwsHandler> {
    return {
      GetAuthorizationToken: () => ({
        authorizationData: [{
          authorizationToken: Buffer.from(`AWS:${this.options.password ?? 'ecr-token-password'}`).toString('base64'),
          proxyEndpoint: this.options.proxyEndpoint ?? `https://${ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com`,
          expiresAt: 1_900_000_000,
        }],
      }),
      DescribeRepositories: (body) => {
        const names = (body.repositoryNames as string[] | undefined) ?? [this.repository];
        names.forEach((n) => this.checkRepository(n));
        return {
          repositories: [{
            repositoryName: this.repository,
            registryId: ACCOUNT,
            repositoryArn: `arn:aws:ecr:eu-west-1:${ACCOUNT}:repository/${this.repository}`,
            imageTagMutability: this.mutability,
            imageScanningConfiguration: { scanOnPush: this.options.scanOnPush ?? false },
          }],
        };
      },
      GetRegistryScanningConfiguration: () => ({
        registryId: ACCOUNT,
        scanningConfiguration: this.options.registryScanning ?? { scanType: 'BASIC', rules: [] },
      }),
      DescribeImages: (body) => {
        this.checkRepository(body.repositoryName);
        const ids = body.imageIds as { imageTag?: string }[];
        const details = ids.map((id) => {
          const digest = this.tags.get(id.imageTag ?? '');
          // ECR raises ImageNotFoundException for an imageId it does not have.
          if (!digest) throw this.notFound(id.imageTag ?? '');
          const imageTags = [...this.tags].filter(([, d]) => d === digest).map(([t]) => t);
          return { registryId: ACCOUNT, repositoryName: this.repository, imageDigest: digest, imageTags };
        });
        return { imageDetails: details };
      },
      BatchGetImage: (body) => {
        this.checkRepository(body.repositoryName);
        const ids = body.imageIds as { imageTag?: string }[];
        const images = [];
        const failures = [];
        for (const id of ids) {
          const digest = this.tags.get(id.imageTag ?? '');
          if (!digest) {failures.push({ imageId: id, failureCode: 'ImageNotFound', failureReason: 'Requested image not found' });} else {
            images.push({
              registryId: ACCOUNT,
              repositoryName: this.repository,
              imageId: { imageDigest: digest, imageTag: id.imageTag },
              imageManifest: this.manifests.get(digest),
              imageManifestMediaType: MANIFEST_TYPE,
            });
          }
        }
        return { images, failures };
      },
      DescribeImageScanFindings: (body) => {
        this.checkRepository(body.repositoryName);
        const digest = (body.imageId as { imageDigest: string }).imageDigest;
        const queue = this.scans.get(digest) ?? [];
        const next = queue.length > 1 ? queue.shift()! : queue[0];
        if (!next) throw scanNotFound(this.repository, digest);
        if (next instanceof AwsErrorReply) throw next;
        return { registryId: ACCOUNT, repositoryName: this.repository, imageId: { imageDigest: digest }, ...next };
      },
    };
  }

  /** Serve the handlers to ECRClient.send through aws-sdk-client-mock; JSON timestamps become Dates as the SDK would parse them. */
  mock(): AwsClientStub<ECRClient> {
    const stub = mockClient(ECRClient);
    const commands = {
      GetAuthorizationToken: GetAuthorizationTokenCommand,
      DescribeRepositories: DescribeRepositoriesCommand,
      GetRegistryScanningConfiguration: GetRegistryScanningConfigurationCommand,
      DescribeImages: DescribeImagesCommand,
      BatchGetImage: BatchGetImageCommand,
      DescribeImageScanFindings: DescribeImageScanFindingsCommand,
    };
    for (const [operation, command] of Object.entries(commands)) {
      stub.on(command as never).callsFake(async (input: Record<string, unknown>) => {
        this.calls.push(operation);
        try {
          return reviveDates(await this.handlers[operation](input));
        } catch (e) {
          if (e instanceof AwsErrorReply) throw Object.assign(new Error(e.message), { name: e.type, $metadata: { httpStatusCode: e.status } });
          throw e;
        }
      });
    }
    return stub;
  }
}

const TIMESTAMP_KEYS = new Set(['imageScanCompletedAt', 'vulnerabilitySourceUpdatedAt', 'firstObservedAt', 'lastObservedAt', 'updatedAt', 'expiresAt']);

/** ECR sends timestamps as epoch seconds; the SDK hands them over as Dates. */
function reviveDates(value: unknown, key = ''): unknown {
  if (typeof value === 'number' && TIMESTAMP_KEYS.has(key)) return new Date(value * 1000);
  if (Array.isArray(value)) return value.map((v) => reviveDates(v));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, reviveDates(v, k)]));
  return value;
}
