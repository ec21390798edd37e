import { staticJob } from './support/prometheus';
import { parseAptSources, rootfsKey } from './support/rootfs';
import { lookupIds, parseUnitService } from './support/unit-file';
import { scrapeConfig } from '../../src/hosts/scrape-config';
import { normaliseServiceOptions } from '../../src/spec';
import { seedOptions } from '../spec/fixtures';

describe('the harness reads apt sources to find the mirror debootstrap uses', () => {
  test('deb822 .sources: the main archive, not security, not -updates', () => {
    const text = [
      'Types: deb',
      'URIs: http://deb.debian.org/debian',
      'Suites: bookworm bookworm-updates',
      'Components: main',
      '',
      'Types: deb',
      'URIs: http://deb.debian.org/debian-security',
      'Suites: bookworm-security',
    ].join('\n');
    expect(parseAptSources([{ name: 'debian.sources', text }])).toEqual({ uri: 'http://deb.debian.org/debian', suite: 'bookworm' });
  });

  test('one-line sources.list with options', () => {
    const text = '# comment\ndeb [arch=amd64] http://mirror.example/debian trixie main\n';
    expect(parseAptSources([{ name: 'sources.list', text }])).toEqual({ uri: 'http://mirror.example/debian', suite: 'trixie' });
  });

  test('files that are neither are ignored', () => {
    expect(parseAptSources([{ name: 'google.list.disabled', text: 'deb http://x y main' }])).toBeUndefined();
  });

  test('the cache key changes with suite, mirror and packages', () => {
    const a = rootfsKey({ uri: 'http://m/debian', suite: 'bookworm' }, ['python3', 'openssh-server']);
    expect(rootfsKey({ uri: 'http://m/debian', suite: 'bookworm' }, ['openssh-server', 'python3'])).toBe(a);
    expect(rootfsKey({ uri: 'http://m/debian', suite: 'trixie' }, ['python3', 'openssh-server'])).not.toBe(a);
    expect(rootfsKey({ uri: 'http://m/debian', suite: 'bookworm' }, ['python3'])).not.toBe(a);
  });
});

describe('the harness starts an exporter the way its unit file would', () => {
  test('ExecStart with continuations, User and Group', () => {
    const unit = '[Unit]\nDescription=x\n\n[Service]\nUser=node-exporter\nGroup=node-exporter\nExecStart=/usr/local/bin/node_exporter \\\n    --a=1 \\\n    --b=2\nRestart=always\n\n[Install]\nWantedBy=multi-user.target\n';
    expect(parseUnitService(unit)).toEqual({ argv: ['/usr/local/bin/node_exporter', '--a=1', '--b=2'], user: 'node-exporter', group: 'node-exporter' });
  });

  test('a unit without ExecStart is an error', () => {
    expect(() => parseUnitService('[Service]\nUser=x\n')).toThrow('the unit has no ExecStart= in [Service]');
  });

  test("ids come from the host's own passwd and group files", () => {
    expect(lookupIds('root:x:0:0::/root:/bin/bash\nnode-exporter:x:999:998::/nonexistent:/usr/sbin/nologin\n', 'root:x:0:\nnode-exporter:x:998:\n', 'node-exporter', 'node-exporter')).toEqual({ uid: 999, gid: 998 });
    expect(() => lookupIds('', '', 'ghost', 'ghost')).toThrow("user 'ghost' is not in the host's /etc/passwd");
  });
});

describe('the scrape test uses the generated job with static targets', () => {
  test('EC2 discovery and EC2-only relabelling are swapped for the given targets', () => {
    const [job] = scrapeConfig(normaliseServiceOptions(seedOptions())).scrape_configs;
    expect(staticJob(job, ['10.200.1.2:9100'])).toEqual({
      job_name: 'node_exporter',
      metrics_path: '/metrics',
      scheme: 'http',
      scrape_interval: '1s',
      static_configs: [{ targets: ['10.200.1.2:9100'] }],
    });
  });
});
