/**
 * A minimal Debian root filesystem for the test hosts, built once with
 * debootstrap from the Debian archive (checked against debian-archive-keyring)
 * and cached under a key of suite, mirror and packages, so later runs start in
 * seconds. The machine's own apt sources are never read: a CI runner lists
 * mirrors there that debootstrap cannot use (`mirror+file:`, third-party repos).
 */
import { execFileSync } from 'child_process';
import { createHash } from 'crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'fs';
import { join } from 'path';

/** Packages every test host needs: sshd for Ansible, python3 for its modules, systemd as init (and its bus). */
export const ROOTFS_PACKAGES = ['openssh-server', 'python3', 'systemd-sysv', 'dbus'] as const;

/** Where debootstrap fetches from and how it checks what it fetched. */
export interface DebianSource {
  readonly uri: string;
  readonly suite: string;
  /** The keyring debootstrap checks the archive's Release signature with. */
  readonly keyring: string;
}

/**
 * The Debian archive and its keyring (Debian's `debootstrap` checks the Release file's signature
 * with `--keyring`, see debootstrap(8)). The suite is the one the roles' meta/main.yml lists.
 * @default http://deb.debian.org/debian, bookworm, /usr/share/keyrings/debian-archive-keyring.gpg
 */
export const DEBIAN_ARCHIVE: DebianSource = {
  uri: 'http://deb.debian.org/debian',
  suite: 'bookworm',
  keyring: '/usr/share/keyrings/debian-archive-keyring.gpg',
};

/** Environment variables that override the archive, e.g. for a local Debian mirror. */
export const SOURCE_OVERRIDES = {
  uri: 'SLIPWAY_TEST_DEBIAN_MIRROR',
  suite: 'SLIPWAY_TEST_DEBIAN_SUITE',
  keyring: 'SLIPWAY_TEST_DEBIAN_KEYRING',
} as const;

/** The archive debootstrap uses: Debian's own unless the environment overrides a part. Pure. */
export function debianSource(env: Readonly<Record<string, string | undefined>>): DebianSource {
  const pick = (key: keyof DebianSource) => {
    const value = env[SOURCE_OVERRIDES[key]];
    return value === undefined || value === '' ? DEBIAN_ARCHIVE[key] : value;
  };
  const source = { uri: pick('uri'), suite: pick('suite'), keyring: pick('keyring') };
  // debootstrap(8): MIRROR can be an http://, https://, file:/// or ssh:/// URL; apt's mirror+file: is none of those.
  if (!/^(https?:\/\/[^/\s]+|file:\/\/\/|ssh:\/\/)\S*$/.test(source.uri)) {
    throw new Error(
      `${SOURCE_OVERRIDES.uri}='${source.uri}' is not a URL debootstrap can fetch from; use an http://, https://, file:/// or ssh:// URL such as ${DEBIAN_ARCHIVE.uri}`,
    );
  }
  if (!/^[a-z][a-z0-9.-]*$/.test(source.suite)) {
    throw new Error(`${SOURCE_OVERRIDES.suite}='${source.suite}' is not a Debian suite name; use a code name such as '${DEBIAN_ARCHIVE.suite}'`);
  }
  return source;
}

/** The cache root: SLIPWAY_TEST_CACHE, or a folder under /var/cache for a developer's own loop. */
export function cacheDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const dir = env.SLIPWAY_TEST_CACHE;
  return dir === undefined || dir === '' ? '/var/cache/slipway-test' : dir;
}

/** Creates the cache root when missing (a fresh machine has none) and returns a new empty folder inside it. */
export function makeWorkDir(prefix: string, env: Readonly<Record<string, string | undefined>> = process.env): string {
  const root = cacheDir(env);
  mkdirSync(root, { recursive: true });
  return mkdtempSync(join(root, prefix));
}

export function rootfsKey(source: Pick<DebianSource, 'uri' | 'suite'>, packages: readonly string[]): string {
  const digest = createHash('sha256').update(JSON.stringify([source.uri, source.suite, [...packages].sort()])).digest('hex').slice(0, 12);
  return `rootfs-${source.suite}-${digest}`;
}

/** Returns the cached rootfs directory, building it with debootstrap first when missing. */
export function ensureRootfs(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const source = debianSource(env);
  const root = cacheDir(env);
  const dir = join(root, rootfsKey(source, ROOTFS_PACKAGES));
  if (existsSync(join(dir, 'usr/sbin/sshd'))) return dir;
  if (!existsSync(source.keyring)) {
    throw new Error(`debootstrap needs the Debian archive keyring at ${source.keyring}: apt-get install debian-archive-keyring, or set ${SOURCE_OVERRIDES.keyring}`);
  }
  mkdirSync(root, { recursive: true });
  // One builder at a time: parallel jest workers or the bench may race for the same cache entry.
  const lock = join(root, '.build.lock');
  execFileSync('flock', [lock, 'sh', '-c', buildScript(), 'build', dir, source.suite, source.uri, source.keyring, ROOTFS_PACKAGES.join(',')], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (!existsSync(join(dir, 'usr/sbin/sshd'))) throw new Error(`debootstrap finished but ${dir}/usr/sbin/sshd is missing`);
  pruneRootfsCache(root, dir);
  return dir;
}

/** Builds into a temporary directory and renames it into place, so a half-built rootfs is never cached. */
function buildScript(): string {
  return [
    'set -e',
    'dir="$1"; suite="$2"; mirror="$3"; keyring="$4"; include="$5"',
    '[ -x "$dir/usr/sbin/sshd" ] && exit 0',
    'tmp="$dir.partial"; rm -rf "$tmp"',
    'debootstrap --variant=minbase --keyring="$keyring" --include="$include" "$suite" "$tmp" "$mirror" >"$tmp.log" 2>&1 || { tail -20 "$tmp.log" >&2; exit 1; }',
    'rm -rf "$dir"; mv "$tmp" "$dir"; rm -f "$tmp.log"',
  ].join('\n');
}

/** Removes cached rootfs directories other than the current one (keeps the cache from growing). */
export function pruneRootfsCache(root: string, keep: string): void {
  if (!existsSync(root)) return;
  for (const entry of readdirSync(root)) {
    const path = join(root, entry);
    if (entry.startsWith('rootfs-') && path !== keep && !entry.endsWith('.partial')) rmSync(path, { recursive: true, force: true });
  }
}
