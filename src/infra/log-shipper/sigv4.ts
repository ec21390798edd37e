/**
 * Signs OpenSearch requests with SigV4 using the Lambda's own credentials
 * (the runtime puts them in the environment). Node's crypto provides the
 * hashes, so the bundle carries no SDK.
 */
import { createHash, createHmac, Hash, Hmac } from 'crypto';
// esbuild bundles it into the Lambda's code asset, so it is a build-time dependency.
// eslint-disable-next-line import/no-extraneous-dependencies
import { SignatureV4 } from '@smithy/signature-v4';

type SourceData = string | ArrayBuffer | ArrayBufferView;

function toBuffer(data: SourceData): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

/** The Checksum shape SignatureV4 expects, over node:crypto; HMAC when constructed with a secret. */
class NodeSha256 {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: SourceData) {
    this.hash = this.fresh();
  }
  private fresh(): Hash | Hmac {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(this.secret));
  }
  update(data: SourceData): void {
    this.hash.update(toBuffer(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash = this.fresh();
  }
}

export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export function credentialsFromEnv(env: NodeJS.ProcessEnv): Credentials {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) {
    throw new Error('AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set; the Lambda runtime provides them from the execution role');
  }
  return { accessKeyId, secretAccessKey, ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}) };
}

export interface SignedRequestInput {
  readonly url: URL;
  /** @default 'POST' */
  readonly method?: string;
  /** @default 'application/x-ndjson' (the _bulk API) */
  readonly contentType?: string;
  readonly body: string;
  readonly region: string;
  readonly credentials: Credentials;
  /** @default now */
  readonly signingDate?: Date;
}

/** Returns the headers to send, Authorization included (query parameters are signed too). */
export async function signedHeaders(input: SignedRequestInput): Promise<Record<string, string>> {
  const signer = new SignatureV4({ service: 'es', region: input.region, credentials: input.credentials, sha256: NodeSha256 });
  const signed = await signer.sign(
    {
      method: input.method ?? 'POST',
      protocol: input.url.protocol,
      hostname: input.url.hostname,
      ...(input.url.port ? { port: Number(input.url.port) } : {}),
      path: input.url.pathname,
      query: Object.fromEntries(input.url.searchParams),
      headers: {
        'host': input.url.host,
        'content-type': input.contentType ?? 'application/x-ndjson',
        'content-length': String(Buffer.byteLength(input.body, 'utf8')),
      },
      body: input.body,
    },
    input.signingDate ? { signingDate: input.signingDate } : {},
  );
  return signed.headers;
}
