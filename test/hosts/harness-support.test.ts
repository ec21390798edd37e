import { mkdtempSync, readdirSync, rmSync, statSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { staticJob } from './support/prometheus';
import { DEBIAN_ARCHIVE, cacheDir, debianSource, makeWorkDir, rootfsKey } from './support/rootfs';
import { parseUnitService } from './support/unit-file';
import { scrapeConfig } from '../../src/hosts/scrape-config';
import { normaliseServiceOptions } from '../../src/spec';
import { seedOptions } from '../spec/fixtures';

describe('debootstrap uses the Debian archive and its keyring, never the machine\'s apt sources', () => {
  test('with no override: deb.debian.org, the suite the roles support, debian-archive-keyring', () => {
    expect(debianSource({})).toEqual({ uri: 'http://deb.debian.org/debian', suite: 'bookworm', keyring: '/usr/share/keyrings/debian-archive-keyring.gpg' });
    expect(debianSource({ SLIPWAY_TEST_DEBIAN_MIRROR: '' })).toEqual(DEBIAN_ARCHIVE);
  });

  test('each part can be overridden', () => {
    const env = { SLIPWAY_TEST_DEBIAN_MIRROR: 'https://mirror.example/debian', SLIPWAY_TEST_DEBIAN_SUITE: 'trixie', SLIPWAY_TEST_DEBIAN_KEYRING: '/k.gpg' };
    expect(debianSource(env)).toEqual({ uri: 'https://mirror.example/debian', suite: 'trixie', keyring: '/k.gpg' });
  });

  test("a hosted runner's apt mirror list is refused with what to write instead", () => {
    expect(() => debianSource({ SLIPWAY_TEST_DEBIAN_MIRROR: 'mirror+file:/etc/apt/apt-mirrors.txt' })).toThrow(
      "SLIPWAY_TEST_DEBIAN_MIRROR='mirror+file:/etc/apt/apt-mirrors.txt' is not a URL debootstrap can fetch from; use an http://, https://, file:/// or ssh:// URL such as http://deb.debian.org/debian",
    );
    expect(() => debianSource({ SLIPWAY_TEST_DEBIAN_SUITE: 'Bookworm Main' })).toThrow("SLIPWAY_TEST_DEBIAN_SUITE='Bookworm Main' is not a Debian suite name");
  });

  test('the cache key changes with suite, mirror and packages', () => {
    const a = rootfsKey({ uri: 'http://m/debian', suite: 'bookworm' }, ['python3', 'openssh-server']);
    expect(rootfsKey({ uri: 'http://m/debian', suite: 'bookworm' }, ['openssh-server', 'python3'])).toBe(a);
    expect(rootfsKey({ uri: 'http://m/debian', suite: 'trixie' }, ['python3', 'openssh-server'])).not.toBe(a);
    expect(rootfsKey({ uri: 'http://m/debian', suite: 'bookworm' }, ['python3'])).not.toBe(a);
  });
});

describe('the test cache folder', () => {
  let scratch: string;
  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), 'slipway-cache-test-'));
  });
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  test('a fresh machine has none: the first work folder creates it', () => {
    const root = join(scratch, 'not', 'there', 'yet');
    const work = makeWorkDir('run-it-', { SLIPWAY_TEST_CACHE: root });
    expect(work.startsWith(join(root, 'run-it-'))).toBe(true);
    expect(statSync(work).isDirectory()).toBe(true);
    expect(readdirSync(work)).toEqual([]);
  });

  test('a developer without SLIPWAY_TEST_CACHE keeps reusing /var/cache/slipway-test', () => {
    expect(cacheDir({})).toBe('/var/cache/slipway-test');
    expect(cacheDir({ SLIPWAY_TEST_CACHE: '/tmp/x' })).toBe('/tmp/x');
  });
});

describe('the harness reads what a rendered unit runs', () => {
  test('ExecStart with continuations, User and Group', () => {
    const unit = '[Unit]\nDescription=x\n\n[Service]\nUser=node-exporter\nGroup=node-exporter\nExecStart=/usr/local/bin/node_exporter \\\n    --a=1 \\\n    --b=2\nRestart=always\n\n[Install]\nWantedBy=multi-user.target\n';
    expect(parseUnitService(unit)).toEqual({ argv: ['/usr/local/bin/node_exporter', '--a=1', '--b=2'], user: 'node-exporter', group: 'node-exporter' });
  });

  test('a unit without ExecStart is an error', () => {
    expect(() => parseUnitService('[Service]\nUser=x\n')).toThrow('the unit has no ExecStart= in [Service]');
  });
});

describe('the scrape test uses the generated job with static targets', () => {
  test('EC2 discovery and EC2-only relabelling are swapped for the given targets; the job relabelling stays', () => {
    const [job] = scrapeConfig(normaliseServiceOptions(seedOptions())).scrape_configs;
    expect(staticJob(job, ['10.200.1.2:9100'])).toEqual({
      job_name: 'node_exporter_production',
      metrics_path: '/metrics',
      scheme: 'http',
      scrape_interval: '1s',
      static_configs: [{ targets: ['10.200.1.2:9100'] }],
      relabel_configs: [{ target_label: 'job', replacement: 'node_exporter' }],
    });
  });
});
