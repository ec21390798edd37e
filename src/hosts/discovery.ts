/**
 * Finds the service's hosts: by their tags through the EC2 API, or from the
 * hosts stack's instance-id outputs. The AWS calls are thin; the selection
 * logic is pure and tested on its own.
 */
import { CloudFormationClient, DescribeStacksCommand, type Output } from '@aws-sdk/client-cloudformation';
import { EC2Client, paginateDescribeInstances, type Filter, type Reservation } from '@aws-sdk/client-ec2';
import { TAG_ROLE, type ServiceSpec } from '../spec';
import { hostTagFilters } from './ansible-vars';
import type { DiscoveredHost } from './inventory';

/**
 * The hosts stack (src/infra/hosts/hosts-stack.ts) names each instance-id
 * output `Host<ordinal>InstanceId`; test/hosts checks the two stay in step.
 */
export const HOST_INSTANCE_OUTPUT = /^Host(\d+)InstanceId$/;

export function tagFilters(spec: ServiceSpec): Filter[] {
  return Object.entries(hostTagFilters(spec)).map(([name, value]) => ({ Name: name, Values: [value] }));
}

/** Flattens DescribeInstances reservations into hosts, sorted by instance id for a stable order. */
export function hostsFromReservations(reservations: readonly Reservation[]): DiscoveredHost[] {
  const hosts: DiscoveredHost[] = [];
  for (const r of reservations) {
    for (const i of r.Instances ?? []) {
      if (!i.InstanceId) continue;
      const role = i.Tags?.find((t) => t.Key === TAG_ROLE)?.Value;
      hosts.push({
        instanceId: i.InstanceId,
        ...(i.PrivateIpAddress ? { privateIp: i.PrivateIpAddress } : {}),
        accountId: r.OwnerId ?? '',
        state: i.State?.Name ?? 'unknown',
        ...(role ? { role } : {}),
      });
    }
  }
  return hosts.sort((a, b) => a.instanceId.localeCompare(b.instanceId));
}

/** Instance ids from the hosts stack's outputs, in ordinal order. */
export function instanceIdsFromOutputs(stackName: string, outputs: readonly Output[]): string[] {
  const found = outputs
    .map((o) => ({ m: HOST_INSTANCE_OUTPUT.exec(o.OutputKey ?? ''), value: o.OutputValue }))
    .filter((o): o is { m: RegExpExecArray; value: string } => o.m !== null && typeof o.value === 'string')
    .sort((a, b) => Number(a.m[1]) - Number(b.m[1]))
    .map((o) => o.value);
  const bad = found.find((id) => !/^i-[0-9a-f]{8,17}$/.test(id));
  if (bad !== undefined) throw new Error(`stack ${stackName} has an instance-id output '${bad}' that is not an EC2 instance id (i-…)`);
  return found;
}

/** Running hosts are configured; the rest are named so nothing is skipped silently. */
export function splitByState(hosts: readonly DiscoveredHost[]): { running: DiscoveredHost[]; notRunning: DiscoveredHost[] } {
  return {
    running: hosts.filter((h) => h.state === 'running'),
    notRunning: hosts.filter((h) => h.state !== 'running'),
  };
}

export async function discoverByTags(ec2: EC2Client, spec: ServiceSpec): Promise<DiscoveredHost[]> {
  const reservations: Reservation[] = [];
  const filters = [...tagFilters(spec), { Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped'] }];
  for await (const page of paginateDescribeInstances({ client: ec2 }, { Filters: filters })) {
    reservations.push(...(page.Reservations ?? []));
  }
  return hostsFromReservations(reservations);
}

export async function discoverByStack(cfn: CloudFormationClient, ec2: EC2Client, spec: ServiceSpec): Promise<DiscoveredHost[]> {
  const stackName = spec.names.stacks.hosts;
  let outputs: Output[];
  try {
    const res = await cfn.send(new DescribeStacksCommand({ StackName: stackName }));
    outputs = res.Stacks?.[0]?.Outputs ?? [];
  } catch (e) {
    throw new Error(`cannot read the outputs of stack ${stackName} in ${spec.region} (${(e as Error).message}); deploy it first, or use --discover tags`);
  }
  const ids = instanceIdsFromOutputs(stackName, outputs);
  if (ids.length === 0) return [];
  const reservations: Reservation[] = [];
  for await (const page of paginateDescribeInstances({ client: ec2 }, { InstanceIds: ids })) {
    reservations.push(...(page.Reservations ?? []));
  }
  const hosts = hostsFromReservations(reservations);
  const missing = ids.filter((id) => !hosts.some((h) => h.instanceId === id));
  return [...hosts, ...missing.map((instanceId) => ({ instanceId, accountId: '', state: 'not found' }))];
}
