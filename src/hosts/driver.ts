/**
 * `configure-hosts`: find the hosts (or take the given inventory), run the
 * playbook with progress, verify each host's exporters, print a table per
 * host. Every side effect goes through DriverIO, so the flow is tested with
 * real tools (test/hosts) and its decisions without them.
 */
import { stringify } from 'yaml';
import type { ServiceSpec } from '../spec';
import { playbookCommand, type PlaybookCommand } from './argv';
import { explainAwsError } from './aws-errors';
import { splitByState } from './discovery';
import { inventoryFromDiscovery, targetsFromInventoryList, type DiscoveredHost, type TargetHost } from './inventory';
import { HOSTS_GROUP, stageGroup, stageGroupVarsFile } from './layout';
import type { DriverOptions } from './options';
import { PlaybookOutput } from './playbook-output';
import { Progress, type Output, type ProgressMode } from './progress';
import { failedHosts, hostRows, renderTable, type HostRow } from './table';
import { checkEndpoint, endpointFor, exportersFor, type Endpoint, type ExporterCheck, type Fetch, type RetryPolicy } from './verify';

export interface PlaybookRun {
  readonly exitCode: number;
  readonly stderr: string;
}

export interface DriverIO {
  /** The table and the final verdict. */
  readonly out: Output;
  /** The spinner, or Ansible's own output in log mode. */
  readonly progressOut: Output;
  readonly progressMode: ProgressMode;
  readonly fetch: Fetch;
  readonly retry?: RetryPolicy;
  discover(spec: ServiceSpec, options: DriverOptions): Promise<DiscoveredHost[]>;
  /** Whether a file the user named exists (relative to the working directory). */
  fileExists(path: string): Promise<boolean>;
  /** Writes the discovered hosts' inventory and returns its path. */
  writeInventory(yaml: string): Promise<string>;
  /** `ansible-inventory --list` of the inventory, group vars included. */
  listInventory(inventory: string): Promise<unknown>;
  /** Host names a --limit pattern selects from the playbook's group. */
  listHosts(inventory: string, limit: string): Promise<string[]>;
  runPlaybook(command: PlaybookCommand, onLine: (line: string) => void): Promise<PlaybookRun>;
  /** Calls each endpoint from the host itself (SSM hosts are not reachable from here). */
  checkOnHosts(inventory: string, endpoints: ReadonlyMap<string, readonly Endpoint[]>): Promise<Map<string, ExporterCheck[]>>;
  sleep(ms: number): Promise<void>;
}

export interface DriverResult {
  readonly exitCode: number;
  readonly rows: readonly HostRow[];
  readonly failed: readonly string[];
}

export class DriverError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DriverError';
  }
}

/** Connections over which the driver cannot reach the host's ports directly. */
const REMOTE_ONLY_CONNECTIONS = new Set(['community.aws.aws_ssm', 'aws_ssm']);

export async function configureHosts(spec: ServiceSpec, repoRoot: string, options: DriverOptions, io: DriverIO): Promise<DriverResult> {
  const { inventory, notRunning } = await resolveInventory(spec, options, io);
  // Listing the inventory overlaps the playbook run; with --limit it must first prove the pattern matches.
  const pendingTargets = targetHosts(spec, inventory, options, io);
  pendingTargets.catch(() => undefined);
  if (options.limit !== undefined) await pendingTargets;

  const command = playbookCommand(repoRoot, inventory, options);
  const output = new PlaybookOutput();
  const progress = new Progress(io.progressOut, io.progressMode);
  progress.start();
  let run: PlaybookRun;
  try {
    run = await io.runPlaybook(command, (line) => progress.line(line, output.feed(line)));
  } finally {
    progress.stop();
  }
  const targets = await pendingTargets;
  if (output.recaps.length === 0) {
    throw new DriverError(
      `ansible-playbook exited with ${run.exitCode} before configuring any host:\n${tail(run.stderr)}\ncommand: ${command.command} ${command.args.join(' ')}`,
    );
  }

  const exporters = exportersFor(options.tags);
  const healthy = new Set(output.recaps.filter((r) => r.unreachable === 0 && r.failed === 0).map((r) => r.host));
  const verified = targets.filter((t) => healthy.has(t.name));
  const checks = options.check ? new Map<string, ExporterCheck[]>() : await verify(spec, verified, exporters, inventory, io);

  const rows = hostRows({
    hosts: targets.map((t) => t.name),
    recaps: output.recaps,
    failures: output.failures,
    checks,
    notRunning: new Map(notRunning.map((h) => [h.instanceId, h.state])),
    check: options.check,
  });
  io.out.write(`${renderTable(rows, exporters)}\n`);
  const failed = failedHosts(rows);
  // A non-zero exit with every host fine means Ansible itself failed after the recap; never report that as success.
  const exitCode = failed.length > 0 || run.exitCode !== 0 ? 1 : 0;
  if (failed.length > 0) {
    const named = rows.filter((r) => failed.includes(r.host)).map((r) => `${r.host} (${r.status})`);
    io.out.write(`configure-hosts: ${failed.length} of ${rows.length} host(s) not configured: ${named.join(', ')}\n`);
  } else if (run.exitCode !== 0) {
    io.out.write(`configure-hosts: ansible-playbook exited with ${run.exitCode}:\n${tail(run.stderr)}\n`);
  } else {
    io.out.write(`configure-hosts: ${rows.length} host(s) configured${options.check ? ' (dry run)' : ''}\n`);
  }
  return { exitCode, rows, failed };
}

async function resolveInventory(
  spec: ServiceSpec,
  options: DriverOptions,
  io: DriverIO,
): Promise<{ inventory: string; notRunning: DiscoveredHost[] }> {
  if (options.inventory !== undefined) {
    // ansible-inventory only warns about a missing file and lists no hosts; say what is wrong instead.
    if (!(await io.fileExists(options.inventory))) {
      throw new DriverError(
        `--inventory ${options.inventory}: no such file. Give the path of an Ansible inventory (YAML or INI) listing the hosts under '${HOSTS_GROUP}', or drop --inventory to find the hosts by their tags`,
      );
    }
    return { inventory: options.inventory, notRunning: [] };
  }
  let found: DiscoveredHost[];
  try {
    found = await io.discover(spec, options);
  } catch (e) {
    const explained = explainAwsError(e, spec, options.discovery);
    if (explained !== undefined) throw new DriverError(explained);
    throw e;
  }
  const { running, notRunning } = splitByState(found);
  if (running.length === 0) {
    const how = options.discovery === 'stack' ? `the outputs of stack ${spec.names.stacks.hosts}` : `EC2 tags ${JSON.stringify(spec.tags)} and slipway:role=${spec.hosts.role}`;
    const others = notRunning.length > 0 ? `; found only ${notRunning.map((h) => `${h.instanceId} (${h.state})`).join(', ')}` : '';
    throw new DriverError(`no running hosts of stage '${spec.environment}' found in ${spec.region} by ${how}${others}. Deploy the stage's hosts stack, or pass --inventory <file>`);
  }
  const inventory = inventoryFromDiscovery(spec, running, options.connection);
  return { inventory: await io.writeInventory(stringify(inventory)), notRunning };
}

async function targetHosts(spec: ServiceSpec, inventory: string, options: DriverOptions, io: DriverIO): Promise<TargetHost[]> {
  const list = await io.listInventory(inventory);
  let targets = targetsFromInventoryList(list);
  if (targets.length === 0) {
    throw new DriverError(`inventory ${inventory} has no hosts in group '${HOSTS_GROUP}', the group the playbook configures; put the hosts under it`);
  }
  // A host outside its stage's group would get no region or log group (role defaults are empty): stop instead of configuring it half.
  const group = stageGroup(spec.environment);
  const inStage = new Set(targetsFromInventoryList(list, group).map((t) => t.name));
  const outside = targets.filter((t) => !inStage.has(t.name)).map((t) => t.name);
  if (outside.length > 0) {
    throw new DriverError(
      `inventory ${inventory}: host(s) ${outside.join(', ')} are not in group '${group}', which gives stage '${spec.environment}' its facts ` +
        `(${stageGroupVarsFile(spec.environment)}); list them under '${group}' as well, or name their stage with --stage`,
    );
  }
  if (options.limit !== undefined) {
    const selected = new Set(await io.listHosts(inventory, options.limit));
    targets = targets.filter((t) => selected.has(t.name));
    if (targets.length === 0) throw new DriverError(`--limit '${options.limit}' matches none of the hosts in ${inventory}`);
  }
  return targets;
}

async function verify(
  spec: ServiceSpec,
  targets: readonly TargetHost[],
  exporters: readonly ReturnType<typeof exportersFor>[number][],
  inventory: string,
  io: DriverIO,
): Promise<Map<string, ExporterCheck[]>> {
  const checks = new Map<string, ExporterCheck[]>();
  const remote = new Map<string, Endpoint[]>();
  await Promise.all(
    targets.map(async (t) => {
      if (REMOTE_ONLY_CONNECTIONS.has(t.connection)) {
        remote.set(t.name, exporters.map((e) => endpointFor(spec, t, e, '127.0.0.1')));
        return;
      }
      const results = await Promise.all(exporters.map((e) => checkEndpoint(endpointFor(spec, t, e), io.fetch, io.sleep, io.retry)));
      checks.set(t.name, results);
    }),
  );
  if (remote.size > 0) {
    for (const [host, results] of await io.checkOnHosts(inventory, remote)) checks.set(host, results);
  }
  return checks;
}

function tail(text: string, lines = 20): string {
  return text.trim().split('\n').slice(-lines).join('\n');
}
