/**
 * .ci/run points every test cache at a folder it creates empty, so a green CI never rests on a
 * cache an earlier run left on the machine (issue 11: real-hosts tests passed only where
 * /var/cache/slipway-test already existed).
 */
import { execFileSync } from 'child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';

const REPO = resolve(__dirname, '../..');

function sourced(scratch: string): Record<string, string> {
  const script = '. .ci/test-caches.sh; for v in ci_scratch SLIPWAY_TEST_CACHE TMPDIR XDG_CACHE_HOME; do printf "%s=%s\\n" "$v" "${!v}"; done; ls -A "$TMPDIR" | wc -l | sed "s/^/tmp_entries=/"; [ -e "$SLIPWAY_TEST_CACHE" ] && echo cache_exists=yes || echo cache_exists=no';
  const out = execFileSync('bash', ['-c', script], { cwd: REPO, encoding: 'utf8', env: { PATH: process.env.PATH, TMPDIR: scratch } });
  return Object.fromEntries(out.trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

describe('.ci/run gives every test cache a fresh empty folder', () => {
  let scratch: string;
  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), 'slipway-ci-caches-'));
  });
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  test('the caches point inside a new folder; the rootfs cache does not exist yet; TMPDIR is empty', () => {
    const env = sourced(scratch);
    expect(env.ci_scratch.startsWith(join(scratch, 'slipway-ci.'))).toBe(true);
    expect(env.SLIPWAY_TEST_CACHE).toBe(join(env.ci_scratch, 'slipway-test'));
    expect(env.TMPDIR).toBe(join(env.ci_scratch, 'tmp'));
    expect(env.XDG_CACHE_HOME).toBe(join(env.ci_scratch, 'xdg-cache'));
    expect(env.cache_exists).toBe('no');
    expect(env.tmp_entries).toBe('0');
  });

  test('each run gets its own folder and removes it when it exits', () => {
    const first = sourced(scratch);
    const second = sourced(scratch);
    expect(second.ci_scratch).not.toBe(first.ci_scratch);
    expect(existsSync(first.ci_scratch)).toBe(false);
    expect(readdirSync(scratch)).toEqual([]);
  });

  test('.ci/run sources it before running the test command', () => {
    const run = readFileSync(join(REPO, '.ci/run'), 'utf8');
    const sourcedAt = run.indexOf('. .ci/test-caches.sh');
    expect(sourcedAt).toBeGreaterThan(0);
    expect(sourcedAt).toBeLessThan(run.indexOf('bash -c "${test_command}"'));
  });
});
