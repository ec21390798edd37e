/**
 * The inventory the driver writes for discovered hosts, and the reading of
 * `ansible-inventory --list` output back into the hosts a run targets.
 * Pure: data in, data out.
 */
import { hostTransferBucketName, type ServiceSpec } from '../spec';
import { EC2_SSH_USER, HOSTS_GROUP, roleGroup, stageGroup, type Connection } from './layout';

/** A host the EC2 API or the hosts stack reported. */
export interface DiscoveredHost {
  readonly instanceId: string;
  readonly privateIp?: string;
  readonly accountId: string;
  readonly state: string;
  readonly role?: string;
}

export interface InventoryHost {
  readonly name: string;
  readonly vars: Readonly<Record<string, unknown>>;
}

type HostsGroup = { hosts: Record<string, Readonly<Record<string, unknown>>> };

export interface Inventory {
  readonly all: {
    /** `slipway_hosts` (children: the role group) and the stage's group (the same hosts, no variables of their own). */
    readonly children: Record<string, { children: Record<string, HostsGroup> } | HostsGroup>;
  };
}

/** One host's connection variables: set in the inventory, never passed as `-e`. */
export function connectionVars(spec: ServiceSpec, host: DiscoveredHost, connection: Connection): Record<string, unknown> {
  if (connection === 'ssm') {
    return {
      ansible_connection: 'community.aws.aws_ssm',
      ansible_aws_ssm_instance_id: host.instanceId,
      ansible_aws_ssm_region: spec.region,
      ansible_aws_ssm_bucket_name: hostTransferBucketName(spec.names, host.accountId, spec.region),
    };
  }
  if (!host.privateIp) {
    throw new Error(`instance ${host.instanceId} has no private IP address to reach over SSH; use --connection ssm`);
  }
  return { ansible_connection: 'ansible.builtin.ssh', ansible_host: host.privateIp, ansible_user: EC2_SSH_USER };
}

/**
 * Hosts grouped like the stage's aws_ec2 inventory config groups them: role_<role> under slipway_hosts, and
 * every host in stage_<stage> too, which gives it the stage's group variables.
 */
export function buildInventory(spec: ServiceSpec, hosts: readonly InventoryHost[]): Inventory {
  const group = roleGroup(spec.hosts.role);
  const byName: Record<string, Readonly<Record<string, unknown>>> = {};
  const members: Record<string, Readonly<Record<string, unknown>>> = {};
  for (const host of hosts) {
    if (byName[host.name]) throw new Error(`host '${host.name}' appears twice in the inventory; host names must be unique`);
    byName[host.name] = host.vars;
    members[host.name] = {};
  }
  return { all: { children: { [HOSTS_GROUP]: { children: { [group]: { hosts: byName } } }, [stageGroup(spec.environment)]: { hosts: members } } } };
}

export function inventoryFromDiscovery(spec: ServiceSpec, hosts: readonly DiscoveredHost[], connection: Connection): Inventory {
  return buildInventory(
    spec,
    hosts.map((h) => ({ name: h.instanceId, vars: connectionVars(spec, h, connection) })),
  );
}

/** A host a run targets, as `ansible-inventory --list` reports it (group vars merged in). */
export interface TargetHost {
  readonly name: string;
  /** Where the metrics endpoints are reached from the driver. */
  readonly address: string;
  readonly connection: string;
  readonly vars: Readonly<Record<string, unknown>>;
}

interface InventoryList {
  readonly _meta?: { readonly hostvars?: Record<string, Record<string, unknown>> };
  readonly [group: string]: unknown;
}

/** Every host under `group` (through child groups), in inventory order, with its variables. */
export function targetsFromInventoryList(list: unknown, group: string = HOSTS_GROUP): TargetHost[] {
  const inv = list as InventoryList;
  const hostvars = inv._meta?.hostvars ?? {};
  const seen = new Set<string>();
  const names: string[] = [];
  const walk = (name: string, depth: number) => {
    if (depth > 20) throw new Error(`inventory group nesting under '${group}' is deeper than 20 levels; is there a cycle at '${name}'?`);
    const g = inv[name] as { hosts?: string[]; children?: string[] } | undefined;
    for (const h of g?.hosts ?? []) {
      if (!seen.has(h)) {
        seen.add(h);
        names.push(h);
      }
    }
    for (const child of g?.children ?? []) walk(child, depth + 1);
  };
  walk(group, 0);
  return names.map((name) => {
    const vars = hostvars[name] ?? {};
    const connection = typeof vars.ansible_connection === 'string' ? vars.ansible_connection : 'ssh';
    const address = typeof vars.ansible_host === 'string' ? vars.ansible_host : name;
    return { name, address, connection, vars };
  });
}
