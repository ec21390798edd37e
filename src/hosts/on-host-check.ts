/**
 * Checking exporters from the host itself, for hosts reached over SSM whose
 * ports the driver cannot open: an ad-hoc `ansible.builtin.uri` call per
 * endpoint URL. Building the call and reading its one-line output are pure.
 */
import type { Endpoint } from './verify';

/** Endpoints grouped by URL, so hosts sharing a URL share one ad-hoc call. */
export function groupByUrl(endpoints: ReadonlyMap<string, readonly Endpoint[]>): Map<string, { endpoint: Endpoint; hosts: string[] }> {
  const groups = new Map<string, { endpoint: Endpoint; hosts: string[] }>();
  for (const [host, list] of endpoints) {
    for (const endpoint of list) {
      const key = `${endpoint.exporter} ${endpoint.url}`;
      const group = groups.get(key) ?? { endpoint, hosts: [] };
      group.hosts.push(host);
      groups.set(key, group);
    }
  }
  return groups;
}

/** Module arguments for ansible.builtin.uri, as JSON (ansible accepts JSON for -a). */
export function uriModuleArgs(endpoint: Endpoint): string {
  return JSON.stringify({ url: endpoint.url, return_content: true, status_code: [200, 401], validate_certs: false, timeout: 10 });
}

export interface OnHostResult {
  readonly status?: number;
  readonly content?: string;
  readonly error?: string;
}

const ONE_LINE = /^(\S+) \| (SUCCESS|CHANGED|FAILED!|UNREACHABLE!) => (\{.*\})\s*$/;

/** Reads `ansible -o` output: one `host | STATE => {json}` line per host. */
export function parseOneLineResults(stdout: string): Map<string, OnHostResult> {
  const results = new Map<string, OnHostResult>();
  for (const line of stdout.split('\n')) {
    const m = ONE_LINE.exec(line);
    if (!m) continue;
    const [, host, state, json] = m;
    let data: { status?: unknown; content?: unknown; msg?: unknown };
    try {
      data = JSON.parse(json) as typeof data;
    } catch {
      results.set(host, { error: `unreadable result: ${json.slice(0, 200)}` });
      continue;
    }
    if (state === 'SUCCESS' || state === 'CHANGED') {
      results.set(host, {
        ...(typeof data.status === 'number' ? { status: data.status } : {}),
        ...(typeof data.content === 'string' ? { content: data.content } : {}),
      });
    } else {
      results.set(host, { error: typeof data.msg === 'string' ? data.msg : state });
    }
  }
  return results;
}
