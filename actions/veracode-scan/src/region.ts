/**
 * Veracode regions are told apart by a prefix on the credentials: EU accounts'
 * API ids start `vera01ei-` and keys `vera01es-`. The prefix selects the API
 * host and is stripped before signing (the HMAC is over the bare hex values).
 */
import { VeracodeCredentials } from './hmac';
import { ActionError } from '../../shared/errors';

export const DEFAULT_API_BASE_URL = 'https://api.veracode.com/pipeline_scan/v1';
export const EU_API_BASE_URL = 'https://api.veracode.eu/pipeline_scan/v1';

const EU_ID_PREFIX = 'vera01ei-';
const EU_KEY_PREFIX = 'vera01es-';

export interface ResolvedRegion {
  readonly credentials: VeracodeCredentials;
  readonly region: 'default' | 'eu';
  /** The Pipeline Scan API base URL, without a trailing slash. */
  readonly apiBaseUrl: string;
}

/**
 * Strip region prefixes and choose the API base URL. An explicit base URL wins
 * over the region; mismatched prefixes (EU id, non-EU key) are an error, since
 * one of the two secrets is then from a different account.
 */
export function resolveRegion(apiId: string, apiKey: string, explicitBaseUrl?: string): ResolvedRegion {
  const idIsEu = apiId.startsWith(EU_ID_PREFIX);
  const keyIsEu = apiKey.startsWith(EU_KEY_PREFIX);
  if (idIsEu !== keyIsEu) {
    throw new ActionError(
      `the Veracode API id ${idIsEu ? 'has' : 'lacks'} the EU prefix '${EU_ID_PREFIX}' but the API key ${keyIsEu ? 'has' : 'lacks'} '${EU_KEY_PREFIX}': ` +
        'both must come from the same Veracode account. Copy the id and key again from the same credentials page.',
    );
  }
  const region = idIsEu ? 'eu' : 'default';
  const credentials = {
    id: idIsEu ? apiId.slice(EU_ID_PREFIX.length) : apiId,
    key: keyIsEu ? apiKey.slice(EU_KEY_PREFIX.length) : apiKey,
  };
  const base = explicitBaseUrl ?? (region === 'eu' ? EU_API_BASE_URL : DEFAULT_API_BASE_URL);
  let parsed: URL;
  try {
    parsed = new URL(base);
  } catch {
    throw new ActionError(`api-base-url '${base}' is not a URL. Write e.g. '${DEFAULT_API_BASE_URL}'.`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new ActionError(`api-base-url '${base}' must be an http(s) URL. Write e.g. '${DEFAULT_API_BASE_URL}'.`);
  }
  return { credentials, region, apiBaseUrl: base.replace(/\/+$/, '') };
}
