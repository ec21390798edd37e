/**
 * Real test hosts: each a copy-on-write overlay of the cached Debian rootfs,
 * booted with systemd as PID 1 by systemd-nspawn (Debian's systemd-container)
 * inside its own network namespace, joined to this one by a veth pair
 * (10.200.N.1/30 here, 10.200.N.2/30 there; traffic only ever goes to those).
 * The roles' units run under the real init, so restart policy, hardening and
 * socket binding are observed, not assumed. The hosts have no route beyond
 * their /30: like the default network, they cannot reach any release server.
 * Everything is torn down by `destroy`, also after a failure.
 */
import { ChildProcess, execFileSync, spawn } from 'child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { Socket } from 'net';
import { dirname, join } from 'path';
import { ensureRootfs, makeWorkDir } from './rootfs';

export interface TestHost {
  readonly name: string;
  readonly namespace: string;
  /** The host's address, inside its namespace. */
  readonly address: string;
  /** This side of the veth pair: the host reaches the release server here. */
  readonly gateway: string;
  /** Files the playbook wrote (the overlay's upper layer). */
  readonly upper: string;
  readonly merged: string;
  readonly sshd: boolean;
}

interface HostState extends TestHost {
  /** systemd-nspawn, whose container's init is the host's PID 1. */
  boot?: ChildProcess;
}

/** Serialises test-network allocation across every process on the machine. */
export const NET_LOCK = '/run/lock/slipway-test-net.lock';

const SSHD_CONFIG = [
  'PermitRootLogin prohibit-password',
  'PasswordAuthentication no',
  'UsePAM no',
  'UseDNS no',
  // Ansible opens several channels per host over one multiplexed connection.
  'MaxSessions 100',
  'MaxStartups 100:30:200',
  '',
].join('\n');

function sh(command: string, args: readonly string[]): string {
  return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function quiet(command: string, args: readonly string[]): void {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
  } catch {
    // teardown of something already gone
  }
}

export class TestNetwork {
  readonly hosts: TestHost[] = [];
  readonly keyFile: string;
  private readonly states: HostState[] = [];
  private readonly workDir: string;
  private readonly prefix: string;
  private readonly bootErrors: string[] = [];

  constructor(private readonly label: string) {
    this.workDir = makeWorkDir(`run-${label}-`);
    this.prefix = `slw${process.pid % 100000}${label.slice(0, 2)}`;
    this.keyFile = join(this.workDir, 'id_ed25519');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'slipway-test', '-f', this.keyFile]);
  }

  /** Adds `count` hosts; with `sshd: false` they exist on the network but refuse connections. */
  async addHosts(count: number, options: { sshd?: boolean } = {}): Promise<TestHost[]> {
    const rootfs = ensureRootfs();
    const created: HostState[] = [];
    // One allocator at a time across processes: the octet scan and the address assignment must not interleave.
    // Machine-wide, not per cache: test runs with different caches share the 10.200.x.0/30 space.
    const lock = NET_LOCK;
    mkdirSync(dirname(lock), { recursive: true });
    for (let i = 0; i < count; i++) {
      const index = this.states.length + 1;
      const name = `${this.label}-${index}`;
      const namespace = `${this.prefix}n${index}`;
      const outside = `${this.prefix}v${index}`;
      const octet = Number(
        execFileSync('flock', [lock, 'sh', '-c', allocateScript(), 'alloc', namespace, outside], { encoding: 'utf8' }).trim(),
      );
      if (!Number.isInteger(octet) || octet < 1) throw new Error(`could not allocate a test network for ${name}: got '${octet}'`);
      const dir = join(this.workDir, name);
      const state: HostState = {
        name,
        namespace,
        address: `10.200.${octet}.2`,
        gateway: `10.200.${octet}.1`,
        upper: join(dir, 'upper'),
        merged: join(dir, 'merged'),
        sshd: options.sshd ?? true,
      };
      for (const d of ['upper', 'work', 'merged']) mkdirSync(join(dir, d), { recursive: true });
      this.seed(state);
      if (state.sshd) state.boot = this.boot(state, rootfs, join(dir, 'work'));
      this.states.push(state);
      this.hosts.push(state);
      created.push(state);
    }
    // systemd starts ssh.service once the container reaches multi-user.target.
    await Promise.all(created.filter((h) => h.sshd).map((h) => waitForPort(h.address, 22, 60000, () => h.boot?.exitCode ?? null)));
    return created;
  }

  /** Runs a command on the host as root, inside its container (systemctl, journalctl, ...). */
  exec(host: TestHost, argv: readonly string[]): { status: number | null; stdout: string; stderr: string } {
    const init = containerInit(host.namespace);
    try {
      const stdout = execFileSync('nsenter', ['--target', String(init), '--mount', '--uts', '--ipc', '--net', '--pid', '--', ...argv], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      return { status: 0, stdout, stderr: '' };
    } catch (e) {
      const err = e as { status: number | null; stdout?: string; stderr?: string };
      return { status: err.status, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
    }
  }

  /** Inventory variables that reach a test host over SSH as root. */
  hostVars(host: TestHost): Record<string, unknown> {
    return {
      ansible_host: host.address,
      ansible_connection: 'ansible.builtin.ssh',
      ansible_user: 'root',
      ansible_ssh_private_key_file: this.keyFile,
      ansible_ssh_common_args: '-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o ConnectTimeout=5',
      ansible_python_interpreter: '/usr/bin/python3',
      // Root already: no sudo in a minimal rootfs.
      ansible_become: false,
      // This network's own SSH control sockets: a later network reusing a 10.200.x address must not
      // find a master (ControlPersist) still held open to a host that no longer exists.
      ansible_control_path_dir: join(this.workDir, 'cp'),
    };
  }

  /** Errors met booting the hosts (a container that exited). */
  get errors(): readonly string[] {
    return this.bootErrors;
  }

  async destroy(): Promise<void> {
    // The container's processes all live in its network namespace: end them, then nspawn itself.
    for (const h of this.states) killNamespace(h.namespace);
    for (const h of this.states) if (h.boot) killTree(h.boot);
    await Promise.all(this.states.flatMap((h) => (h.boot ? [exited(h.boot)] : [])));
    for (const h of this.states) {
      // Deleting the namespace removes its end of the veth pair, and with it this end.
      quiet('ip', ['netns', 'delete', h.namespace]);
      quiet('ip', ['link', 'delete', `${this.prefix}v${this.states.indexOf(h) + 1}`]);
    }
    rmSync(this.workDir, { recursive: true, force: true });
  }

  private seed(h: HostState): void {
    const ssh = join(h.upper, 'root/.ssh');
    mkdirSync(ssh, { recursive: true, mode: 0o700 });
    writeFileSync(join(ssh, 'authorized_keys'), readFileSync(`${this.keyFile}.pub`), { mode: 0o600 });
    mkdirSync(join(h.upper, 'etc/ssh/sshd_config.d'), { recursive: true });
    writeFileSync(join(h.upper, 'etc/ssh/sshd_config.d/slipway-test.conf'), SSHD_CONFIG);
    writeFileSync(join(h.upper, 'etc/hostname'), `${h.name}\n`);
  }

  /**
   * systemd-nspawn booting the overlay, in a private mount namespace that holds
   * the overlay mount (it vanishes with its last process). No host systemd here:
   * --keep-unit and --register=no keep nspawn off the host's D-Bus.
   */
  private boot(h: HostState, rootfs: string, work: string): ChildProcess {
    const script = [
      'set -e',
      'm="$1"',
      'mount -t overlay overlay -o "lowerdir=$2,upperdir=$3,workdir=$4" "$m"',
      'exec systemd-nspawn --quiet --boot --directory="$m" --machine="$5" --network-namespace-path="/run/netns/$6" --register=no --keep-unit --console=passive',
    ].join('\n');
    const child = spawn('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script, 'host', h.merged, rootfs, h.upper, work, h.name, h.namespace], {
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true,
    });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    child.on('exit', (code) => {
      if (code !== 0 && code !== null) this.bootErrors.push(`${h.name} (systemd-nspawn) exited with ${code}: ${stderr.trim()}`);
    });
    return child;
  }
}

/** The container's PID 1 as this machine numbers it: the process in its network namespace that is pid 1 in its own. */
function containerInit(namespace: string): number {
  const pids = sh('ip', ['netns', 'pids', namespace]).split(/\s+/).filter((p) => /^\d+$/.test(p));
  for (const pid of pids) {
    try {
      const nspid = /^NSpid:\s+(.+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1].trim().split(/\s+/);
      if (nspid && nspid.length > 1 && nspid[nspid.length - 1] === '1') return Number(pid);
    } catch {
      // exited meanwhile
    }
  }
  throw new Error(`no container init in network namespace ${namespace}`);
}

function allocateScript(): string {
  // Picks the first free 10.200.x.0/30 (x from 1) and wires the namespace to it.
  return [
    'set -e',
    'ns="$1"; veth="$2"',
    'used=$(ip -4 -o addr show | sed -n "s/.*inet 10\\.200\\.\\([0-9]*\\)\\..*/\\1/p")',
    'x=1; while echo "$used" | grep -qx "$x"; do x=$((x+1)); done',
    '[ "$x" -le 254 ] || { echo "no free 10.200.x.0/30 left" >&2; exit 1; }',
    'ip netns add "$ns"',
    'ip link add "$veth" type veth peer name eth0 netns "$ns"',
    'ip addr add "10.200.$x.1/30" dev "$veth"',
    'ip link set "$veth" up',
    'ip -n "$ns" addr add "10.200.$x.2/30" dev eth0',
    'ip -n "$ns" link set eth0 up',
    'ip -n "$ns" link set lo up',
    'echo "$x"',
  ].join('\n');
}

/** Kills every process in a network namespace this harness created. */
function killNamespace(namespace: string): void {
  let pids: string[] = [];
  try {
    pids = sh('ip', ['netns', 'pids', namespace]).split(/\s+/).filter((p) => /^\d+$/.test(p));
  } catch {
    return;
  }
  for (const pid of pids) {
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      // exited meanwhile
    }
  }
}

function killTree(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

export async function waitForPort(address: string, port: number, timeoutMs: number, died: () => number | null): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = new Socket();
      s.setTimeout(1000);
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
      s.once('timeout', () => {
        s.destroy();
        resolve(false);
      });
      s.connect(port, address);
    });
    if (ok) return;
    if (died() !== null) throw new Error(`the process serving ${address}:${port} exited with ${died()}`);
    if (Date.now() > deadline) throw new Error(`${address}:${port} did not accept connections within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

