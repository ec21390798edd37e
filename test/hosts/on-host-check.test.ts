import { groupByUrl, parseOneLineResults, uriModuleArgs } from '../../src/hosts/on-host-check';
import type { Endpoint } from '../../src/hosts/verify';

const node: Endpoint = { exporter: 'node_exporter', url: 'http://127.0.0.1:9100/metrics', authRequired: false };
const proc: Endpoint = { exporter: 'process_exporter', url: 'http://127.0.0.1:9256/metrics', authRequired: false };

describe('on-host checks (SSM hosts)', () => {
  test('hosts sharing an endpoint URL share one ad-hoc call', () => {
    const groups = groupByUrl(new Map([['i-1', [node, proc]], ['i-2', [node, proc]]]));
    expect([...groups.values()].map((g) => [g.endpoint.url, g.hosts])).toEqual([
      ['http://127.0.0.1:9100/metrics', ['i-1', 'i-2']],
      ['http://127.0.0.1:9256/metrics', ['i-1', 'i-2']],
    ]);
  });

  test('the uri module gets JSON arguments that accept 200 and 401 and return the body', () => {
    expect(JSON.parse(uriModuleArgs(node))).toEqual({
      url: node.url, return_content: true, status_code: [200, 401], validate_certs: false, timeout: 10,
    });
  });

  test('reads the one-line output of ansible -o per host', () => {
    const stdout = [
      'i-1 | SUCCESS => {"changed": false, "status": 200, "content": "node_exporter_build_info 1"}',
      'i-2 | FAILED! => {"changed": false, "msg": "Status code was -1: Connection refused"}',
      'i-3 | UNREACHABLE! => {"changed": false, "msg": "SSM session failed", "unreachable": true}',
      '[WARNING]: something',
    ].join('\n');
    expect(Object.fromEntries(parseOneLineResults(stdout))).toEqual({
      'i-1': { status: 200, content: 'node_exporter_build_info 1' },
      'i-2': { error: 'Status code was -1: Connection refused' },
      'i-3': { error: 'SSM session failed' },
    });
  });
});
