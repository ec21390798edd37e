/**
 * Which private subnet each host goes in, and what it is called. Hosts are
 * dealt round-robin over the AZs so losing one AZ loses at most ⌈n/azs⌉.
 */
import type { ServiceSpec, SubnetSpec } from '../../spec';

export interface HostPlacement {
  /** 1-based, stable while the count only grows. */
  readonly ordinal: number;
  /** The Name tag and the Ansible inventory hostname: `<hostNamePrefix>-<ordinal>`. */
  readonly name: string;
  readonly subnet: SubnetSpec;
}

export function hostPlacements(spec: ServiceSpec): HostPlacement[] {
  const privates = spec.network.subnets.filter((s) => s.tier === 'private').sort((a, b) => a.azIndex - b.azIndex);
  if (privates.length === 0 && spec.hosts.count > 0) {
    throw new Error(`the spec has ${spec.hosts.count} host(s) but no private subnet to place them in; add privateSubnets to the network options`);
  }
  return Array.from({ length: spec.hosts.count }, (_, i) => ({
    ordinal: i + 1,
    name: `${spec.names.hostNamePrefix}-${i + 1}`,
    subnet: privates[i % privates.length],
  }));
}

/** Graviton instance families (t4g, m7g, c6gn, x2gd, a1, …) need the arm64 AMI. */
export function isArmInstanceType(instanceType: string): boolean {
  const family = instanceType.split('.')[0];
  return family === 'a1' || /^[a-z]+\d+g[a-z]*$/.test(family);
}
