/**
 * The driver's real side effects: AWS discovery, the inventory file, and the
 * Ansible commands, run through zx with argv arrays (never a shell string).
 */
import { access, mkdtemp, writeFile } from 'fs/promises';
import { tmpdir } from 'os';
import { join } from 'path';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { EC2Client } from '@aws-sdk/client-ec2';
import { $ } from 'zx';
import type { ServiceSpec } from '../spec';
import { discoverByStack, discoverByTags } from './discovery';
import type { DriverIO, PlaybookRun } from './driver';
import { ANSIBLE_CONFIG, ANSIBLE_DIR, HOSTS_GROUP } from './layout';
import { groupByUrl, parseOneLineResults, uriModuleArgs } from './on-host-check';
import { progressMode, type Output } from './progress';
import { judgeResponse, type ExporterCheck, type Fetch } from './verify';

/** Hosts a `--list-hosts` run prints, one per indented line after the `hosts (N):` header. */
export function parseListHosts(stdout: string): string[] {
  return stdout
    .split('\n')
    .filter((l) => /^\s{2,}\S/.test(l) && !/^\s*hosts \(\d+\):/.test(l))
    .map((l) => l.trim());
}

export interface RealIOOptions {
  readonly repoRoot: string;
  readonly out?: Output;
  readonly progressOut?: Output;
  readonly env?: NodeJS.ProcessEnv;
}

export function realIO(opts: RealIOOptions): DriverIO {
  const env = opts.env ?? process.env;
  const ansibleEnv = { ...env, ANSIBLE_CONFIG: join(opts.repoRoot, ANSIBLE_CONFIG), ANSIBLE_NOCOLOR: '1', ANSIBLE_FORCE_COLOR: '0' };
  const playbookDir = join(opts.repoRoot, ANSIBLE_DIR);
  const sh = $({ env: ansibleEnv, quiet: true, verbose: false, cwd: opts.repoRoot });
  const progressOut = opts.progressOut ?? process.stderr;
  return {
    out: opts.out ?? process.stdout,
    progressOut,
    progressMode: progressMode(env, Boolean((progressOut as { isTTY?: boolean }).isTTY)),

    async discover(spec: ServiceSpec, options) {
      const ec2 = new EC2Client({ region: spec.region });
      if (options.discovery === 'stack') return discoverByStack(new CloudFormationClient({ region: spec.region }), ec2, spec);
      return discoverByTags(ec2, spec);
    },

    async fileExists(path: string) {
      return access(path).then(() => true, () => false);
    },

    async writeInventory(yaml: string) {
      const dir = await mkdtemp(join(tmpdir(), 'slipway-hosts-'));
      const path = join(dir, 'inventory.yml');
      await writeFile(path, yaml, { mode: 0o600 });
      return path;
    },

    async listInventory(inventory: string) {
      const res = await sh`ansible-inventory ${['--inventory', inventory, '--playbook-dir', playbookDir, '--list']}`.nothrow();
      if (res.exitCode !== 0) throw new Error(`ansible-inventory could not read ${inventory} (exit ${res.exitCode}): ${res.stderr.trim()}`);
      return JSON.parse(res.stdout) as unknown;
    },

    async listHosts(inventory: string, limit: string) {
      const res = await sh`ansible ${[HOSTS_GROUP, '--inventory', inventory, '--limit', limit, '--list-hosts']}`.nothrow();
      if (res.exitCode !== 0) throw new Error(`ansible could not match --limit '${limit}' in ${inventory}: ${res.stderr.trim()}`);
      return parseListHosts(res.stdout);
    },

    async runPlaybook(command, onLine): Promise<PlaybookRun> {
      const child = $({ env: { ...env, ...command.env }, quiet: true, verbose: false, nothrow: true, cwd: opts.repoRoot })`${command.command} ${command.args}`;
      for await (const line of child) onLine(line);
      const res = await child;
      return { exitCode: res.exitCode ?? 1, stderr: res.stderr };
    },

    async checkOnHosts(inventory, endpoints) {
      const checks = new Map<string, ExporterCheck[]>();
      for (const { endpoint, hosts } of groupByUrl(endpoints).values()) {
        const args = [hosts.join(','), '--inventory', inventory, '--playbook-dir', playbookDir, '--one-line', '-m', 'ansible.builtin.uri', '-a', uriModuleArgs(endpoint)];
        const res = await sh`ansible ${args}`.nothrow();
        const results = parseOneLineResults(res.stdout);
        for (const host of hosts) {
          const r = results.get(host);
          const check: ExporterCheck =
            r?.status !== undefined
              ? judgeResponse(endpoint, r.status, r.content ?? '')
              : { exporter: endpoint.exporter, url: endpoint.url, up: false, detail: `checked on the host: ${r?.error ?? `no result (${res.stderr.trim().slice(0, 200)})`}` };
          checks.set(host, [...(checks.get(host) ?? []), check]);
        }
      }
      return checks;
    },

    fetch: ((url, init) => fetch(url, init)) as Fetch,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
}
