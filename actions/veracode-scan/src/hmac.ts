/**
 * VERACODE-HMAC-SHA-256 request signing, as Veracode documents it: a chain of
 * HMAC-SHA-256 keys (secret → nonce → timestamp → version string) signs
 * `id=…&host=…&url=…&method=…`. Clock and randomness are injected so the
 * published test vector can be reproduced exactly.
 */
import { createHmac, randomBytes } from 'crypto';

export const AUTH_SCHEME = 'VERACODE-HMAC-SHA-256';
const REQUEST_VERSION = 'vcode_request_version_1';

export interface VeracodeCredentials {
  /** The API id (hex), with any region prefix already stripped. */
  readonly id: string;
  /** The API secret key (hex), with any region prefix already stripped. */
  readonly key: string;
}

export interface SigningInput {
  readonly host: string;
  /** Path plus query string, exactly as sent, e.g. '/pipeline_scan/v1/scans/abc'. */
  readonly pathAndQuery: string;
  readonly method: string;
  /** Milliseconds since the epoch. */
  readonly timestamp: number;
  /** 32 hex characters (16 random bytes). */
  readonly nonce: string;
}

function hmac(key: Buffer, data: Buffer | string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

function hexBytes(what: string, value: string): Buffer {
  if (value.length === 0 || value.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(value)) {
    throw new Error(`the Veracode ${what} must be hexadecimal; the value given is not (length ${value.length}). Copy it again from the Veracode platform's API credentials page.`);
  }
  return Buffer.from(value, 'hex');
}

/** The first link of the key chain: HMAC of the nonce's bytes under the secret's bytes. */
export function nonceKey(secretHex: string, nonceHex: string): Buffer {
  return hmac(hexBytes('API key', secretHex), hexBytes('nonce', nonceHex));
}

/** The hex signature for one request. */
export function signature(credentials: VeracodeCredentials, input: SigningInput): string {
  const keyNonce = nonceKey(credentials.key, input.nonce);
  const keyTimestamp = hmac(keyNonce, String(input.timestamp));
  const signingKey = hmac(keyTimestamp, REQUEST_VERSION);
  const data = `id=${credentials.id}&host=${input.host}&url=${input.pathAndQuery}&method=${input.method.toUpperCase()}`;
  return hmac(signingKey, data).toString('hex');
}

/** The Authorization header value for one request. */
export function authorizationHeader(credentials: VeracodeCredentials, input: SigningInput): string {
  const sig = signature(credentials, input);
  return `${AUTH_SCHEME} id=${credentials.id},ts=${input.timestamp},nonce=${input.nonce},sig=${sig}`;
}

/** A signer with a fresh nonce and timestamp per request; both sources injectable. */
export class RequestSigner {
  constructor(
    private readonly credentials: VeracodeCredentials,
    private readonly now: () => number = () => Date.now(),
    private readonly nonce: () => string = () => randomBytes(16).toString('hex'),
  ) {
    // Validate both once, up front, so a bad key fails before any request is made.
    hexBytes('API id', credentials.id);
    hexBytes('API key', credentials.key);
  }

  sign(method: string, url: URL): string {
    return authorizationHeader(this.credentials, {
      host: url.host,
      pathAndQuery: `${url.pathname}${url.search}`,
      method,
      timestamp: this.now(),
      nonce: this.nonce(),
    });
  }
}

/** The parts of a VERACODE-HMAC-SHA-256 header, for servers (and tests) that verify one. */
export interface ParsedAuthorization {
  readonly id: string;
  readonly timestamp: number;
  readonly nonce: string;
  readonly sig: string;
}

export function parseAuthorizationHeader(header: string): ParsedAuthorization | undefined {
  const match = /^VERACODE-HMAC-SHA-256 id=([0-9a-fA-F]+),ts=(\d+),nonce=([0-9a-fA-F]+),sig=([0-9a-f]{64})$/.exec(header);
  if (!match) return undefined;
  return { id: match[1], timestamp: Number(match[2]), nonce: match[3], sig: match[4] };
}
