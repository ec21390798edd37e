import type { TargetHost } from '../../src/hosts/inventory';
import { checkEndpoint, endpointFor, exportersFor, judgeResponse, type Endpoint, type Fetch } from '../../src/hosts/verify';
import { normaliseServiceOptions } from '../../src/spec';
import { seedOptions } from '../spec/fixtures';

const spec = normaliseServiceOptions({ ...seedOptions(), monitoring: { nodeExporterPort: 9200 } });
const target = (vars: Record<string, unknown> = {}): TargetHost => ({ name: 'h1', address: '10.0.0.5', connection: 'ansible.builtin.ssh', vars });

describe('exportersFor', () => {
  test('every exporter without --tags, only the tagged ones with', () => {
    expect(exportersFor([])).toEqual(['node_exporter', 'process_exporter']);
    expect(exportersFor(['node_exporter', 'cloudwatch_agent'])).toEqual(['node_exporter']);
    expect(exportersFor(['cloudwatch_agent'])).toEqual([]);
  });
});

describe('endpointFor', () => {
  test('the spec port and /metrics by default', () => {
    expect(endpointFor(spec, target(), 'node_exporter')).toEqual({ exporter: 'node_exporter', url: 'http://10.0.0.5:9200/metrics', authRequired: false });
    expect(endpointFor(spec, target(), 'process_exporter').url).toBe('http://10.0.0.5:9256/metrics');
  });

  test("the host's own variables win: port, path, TLS and basic auth", () => {
    const vars = { node_exporter_port: '9999', node_exporter_metrics_path: '/m', node_exporter_tls_server_config: { cert_file: 'c', key_file: 'k' }, node_exporter_basic_auth_users: { p: '$2y$10$x' } };
    expect(endpointFor(spec, target(vars), 'node_exporter')).toEqual({ exporter: 'node_exporter', url: 'https://10.0.0.5:9999/m', authRequired: true });
  });

  test('an IPv6 address is bracketed; an explicit address replaces the host address', () => {
    expect(endpointFor(spec, { ...target(), address: 'fd00::5' }, 'node_exporter').url).toBe('http://[fd00::5]:9200/metrics');
    expect(endpointFor(spec, target(), 'node_exporter', '127.0.0.1').url).toBe('http://127.0.0.1:9200/metrics');
  });
});

describe('judgeResponse', () => {
  const endpoint: Endpoint = { exporter: 'node_exporter', url: 'http://h:9100/metrics', authRequired: false };

  test('200 with the build info metric is up', () => {
    expect(judgeResponse(endpoint, 200, '# HELP node_exporter_build_info x\nnode_exporter_build_info{version="1"} 1\n').up).toBe(true);
  });

  test('200 without it is another program on the port', () => {
    expect(judgeResponse(endpoint, 200, 'hello')).toMatchObject({ up: false, detail: expect.stringContaining('without node_exporter_build_info') });
  });

  test('401 is up only when basic auth is configured', () => {
    expect(judgeResponse(endpoint, 401, '').up).toBe(false);
    expect(judgeResponse({ ...endpoint, authRequired: true }, 401, '').up).toBe(true);
  });
});

describe('checkEndpoint', () => {
  const endpoint: Endpoint = { exporter: 'process_exporter', url: 'http://h:9256/metrics', authRequired: false };

  test('retries until the exporter answers, sleeping between tries', async () => {
    const answers = [new Error('fetch failed'), { status: 503, body: '' }, { status: 200, body: 'namedprocess_scrape_errors 0' }];
    const fetchImpl: Fetch = async () => {
      const next = answers.shift()!;
      if (next instanceof Error) throw Object.assign(next, { cause: { code: 'ECONNREFUSED' } });
      return { status: next.status, text: async () => next.body };
    };
    const sleeps: number[] = [];
    const result = await checkEndpoint(endpoint, fetchImpl, async (ms) => void sleeps.push(ms), { attempts: 5, delayMs: 7, timeoutMs: 100 });
    expect(result).toEqual({ exporter: 'process_exporter', url: endpoint.url, up: true, detail: 'answers' });
    expect(sleeps).toEqual([7, 7]);
  });

  test('gives up after the last try and says why', async () => {
    const fetchImpl: Fetch = async () => {
      throw Object.assign(new Error('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    };
    const result = await checkEndpoint(endpoint, fetchImpl, async () => undefined, { attempts: 3, delayMs: 0, timeoutMs: 100 });
    expect(result).toEqual({ exporter: 'process_exporter', url: endpoint.url, up: false, detail: 'http://h:9256/metrics: ECONNREFUSED (after 3 tries)' });
  });
});
