/**
 * A minimal Debian root filesystem for the test hosts, built once with
 * debootstrap from the mirror this machine's apt already uses and cached
 * under a key of suite, mirror and packages, so later runs start in seconds.
 */
import { execFileSync } from 'child_process';
import { createHash } from 'crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'fs';
import { join } from 'path';

/** Packages every test host needs: sshd for Ansible, python3 for its modules. */
export const ROOTFS_PACKAGES = ['openssh-server', 'python3'] as const;

export const CACHE_DIR = process.env.SLIPWAY_TEST_CACHE ?? '/var/cache/slipway-test';

export interface AptSource {
  readonly uri: string;
  readonly suite: string;
}

/**
 * The first Debian main-archive source in apt's configuration, from either a
 * deb822 `.sources` file or a one-line `sources.list` entry. Pure: text in, source out.
 */
export function parseAptSources(files: readonly { name: string; text: string }[]): AptSource | undefined {
  for (const { name, text } of files) {
    if (name.endsWith('.sources')) {
      for (const stanza of text.split(/\n\s*\n/)) {
        const field = (key: string) => new RegExp(`^${key}:\\s*(.+)$`, 'mi').exec(stanza)?.[1].trim();
        const types = field('Types') ?? '';
        const uris = field('URIs');
        const suites = field('Suites');
        if (!types.split(/\s+/).includes('deb') || !uris || !suites) continue;
        if (/security/.test(uris)) continue;
        const suite = suites.split(/\s+/).find((s) => !s.includes('-'));
        if (suite) return { uri: uris.split(/\s+/)[0], suite };
      }
    } else if (name.endsWith('.list')) {
      for (const line of text.split('\n')) {
        const m = /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+(\S+)/.exec(line.trim());
        if (m && !/security/.test(m[1]) && !m[2].includes('-')) return { uri: m[1], suite: m[2] };
      }
    }
  }
  return undefined;
}

/** The apt source this machine uses, so debootstrap reaches the same (reachable) mirror. */
export function machineAptSource(): AptSource {
  const files: { name: string; text: string }[] = [];
  if (existsSync('/etc/apt/sources.list')) files.push({ name: 'sources.list', text: readFileSync('/etc/apt/sources.list', 'utf8') });
  const dir = '/etc/apt/sources.list.d';
  if (existsSync(dir)) {
    for (const f of readdirSync(dir).sort()) files.push({ name: f, text: readFileSync(join(dir, f), 'utf8') });
  }
  const source = parseAptSources(files);
  if (!source) {
    throw new Error('no Debian main archive found in /etc/apt/sources.list(.d); add a "deb <mirror> <suite> main" source so debootstrap can reach it');
  }
  return source;
}

export function rootfsKey(source: AptSource, packages: readonly string[]): string {
  const digest = createHash('sha256').update(JSON.stringify([source.uri, source.suite, [...packages].sort()])).digest('hex').slice(0, 12);
  return `rootfs-${source.suite}-${digest}`;
}

/** Returns the cached rootfs directory, building it with debootstrap first when missing. */
export function ensureRootfs(): string {
  const source = machineAptSource();
  const dir = join(CACHE_DIR, rootfsKey(source, ROOTFS_PACKAGES));
  if (existsSync(join(dir, 'usr/sbin/sshd'))) return dir;
  mkdirSync(CACHE_DIR, { recursive: true });
  // One builder at a time: parallel jest workers or the bench may race for the same cache entry.
  const lock = join(CACHE_DIR, '.build.lock');
  execFileSync('flock', [lock, 'sh', '-c', buildScript(), 'build', dir, source.suite, source.uri, ROOTFS_PACKAGES.join(',')], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (!existsSync(join(dir, 'usr/sbin/sshd'))) throw new Error(`debootstrap finished but ${dir}/usr/sbin/sshd is missing`);
  pruneRootfsCache(dir);
  return dir;
}

/** Builds into a temporary directory and renames it into place, so a half-built rootfs is never cached. */
function buildScript(): string {
  return [
    'set -e',
    'dir="$1"; suite="$2"; mirror="$3"; include="$4"',
    '[ -x "$dir/usr/sbin/sshd" ] && exit 0',
    'tmp="$dir.partial"; rm -rf "$tmp"',
    'debootstrap --variant=minbase --include="$include" "$suite" "$tmp" "$mirror" >"$tmp.log" 2>&1 || { tail -20 "$tmp.log" >&2; exit 1; }',
    'rm -rf "$dir"; mv "$tmp" "$dir"; rm -f "$tmp.log"',
  ].join('\n');
}

/** Removes cached rootfs directories other than the current one (keeps the cache from growing). */
export function pruneRootfsCache(keep: string): void {
  if (!existsSync(CACHE_DIR)) return;
  for (const entry of readdirSync(CACHE_DIR)) {
    const path = join(CACHE_DIR, entry);
    if (entry.startsWith('rootfs-') && path !== keep && !entry.endsWith('.partial')) rmSync(path, { recursive: true, force: true });
  }
}
