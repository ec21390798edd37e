/**
 * After the playbook: does each host's exporter answer on its metrics
 * endpoint? Judging a response is pure; the HTTP call takes an injectable
 * fetch and sleep so retries are tested without timers.
 */
import type { ServiceSpec } from '../spec';
import type { TargetHost } from './inventory';

export type ExporterName = 'node_exporter' | 'process_exporter';
export const EXPORTERS: readonly ExporterName[] = ['node_exporter', 'process_exporter'];

/** A metric every healthy scrape of the exporter contains. */
const SIGNATURE: Readonly<Record<ExporterName, string>> = {
  node_exporter: 'node_exporter_build_info',
  process_exporter: 'namedprocess_',
};

/** The exporters a run installs: all of them, or those its --tags select. */
export function exportersFor(tags: readonly string[]): ExporterName[] {
  return tags.length === 0 ? [...EXPORTERS] : EXPORTERS.filter((e) => tags.includes(e));
}

export interface Endpoint {
  readonly exporter: ExporterName;
  readonly url: string;
  /** Basic auth is on: a 401 proves the endpoint answers (the driver holds only the hash). */
  readonly authRequired: boolean;
}

function stringVar(vars: Readonly<Record<string, unknown>>, key: string): string | undefined {
  const v = vars[key];
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

function nonEmptyObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.keys(value).length > 0;
}

/** The host's metrics endpoint, from its inventory variables (host overrides first) or the spec. */
export function endpointFor(spec: ServiceSpec, host: TargetHost, exporter: ExporterName, address: string = host.address): Endpoint {
  const specPort = exporter === 'node_exporter' ? spec.monitoring.nodeExporterPort : spec.monitoring.processExporterPort;
  const portVar = host.vars[`${exporter}_port`];
  const port = typeof portVar === 'number' ? portVar : typeof portVar === 'string' && /^\d+$/.test(portVar) ? Number(portVar) : specPort;
  const path = stringVar(host.vars, `${exporter}_metrics_path`) ?? '/metrics';
  const tls = nonEmptyObject(host.vars[`${exporter}_tls_server_config`]);
  const authRequired = nonEmptyObject(host.vars[`${exporter}_basic_auth_users`]);
  const hostPart = address.includes(':') ? `[${address}]` : address;
  return { exporter, url: `${tls ? 'https' : 'http'}://${hostPart}:${port}${path}`, authRequired };
}

export interface ExporterCheck {
  readonly exporter: ExporterName;
  readonly url: string;
  readonly up: boolean;
  readonly detail: string;
}

export function judgeResponse(endpoint: Endpoint, status: number, body: string): ExporterCheck {
  const base = { exporter: endpoint.exporter, url: endpoint.url };
  if (status === 401 && endpoint.authRequired) return { ...base, up: true, detail: 'answers (basic auth required)' };
  if (status !== 200) return { ...base, up: false, detail: `HTTP ${status} from ${endpoint.url}` };
  if (!body.includes(SIGNATURE[endpoint.exporter])) {
    return { ...base, up: false, detail: `${endpoint.url} answered, but without ${SIGNATURE[endpoint.exporter]}: is another program on that port?` };
  }
  return { ...base, up: true, detail: 'answers' };
}

export interface RetryPolicy {
  readonly attempts: number;
  readonly delayMs: number;
  readonly timeoutMs: number;
}

/** Exporters need a moment after a restart; a few tries spread over ~15 s cover that. */
export const DEFAULT_RETRY: RetryPolicy = { attempts: 8, delayMs: 2000, timeoutMs: 5000 };

export type Fetch = (url: string, init: { signal: AbortSignal }) => Promise<{ status: number; text(): Promise<string> }>;

export async function checkEndpoint(
  endpoint: Endpoint,
  fetchImpl: Fetch,
  sleep: (ms: number) => Promise<void>,
  retry: RetryPolicy = DEFAULT_RETRY,
): Promise<ExporterCheck> {
  let last: ExporterCheck = { exporter: endpoint.exporter, url: endpoint.url, up: false, detail: 'not tried' };
  for (let attempt = 1; attempt <= retry.attempts; attempt++) {
    try {
      const res = await fetchImpl(endpoint.url, { signal: AbortSignal.timeout(retry.timeoutMs) });
      last = judgeResponse(endpoint, res.status, await res.text());
    } catch (e) {
      const cause = (e as { cause?: { code?: string } }).cause?.code;
      last = { exporter: endpoint.exporter, url: endpoint.url, up: false, detail: `${endpoint.url}: ${cause ?? (e as Error).message}` };
    }
    if (last.up) return last;
    if (attempt < retry.attempts) await sleep(retry.delayMs);
  }
  return { ...last, detail: `${last.detail} (after ${retry.attempts} tries)` };
}
