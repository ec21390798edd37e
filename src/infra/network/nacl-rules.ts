/**
 * The network ACL entries for each tier, as plain data. NACLs are stateless,
 * so every flow the design allows has its return traffic spelled out here:
 * ephemeral ports (1024–65535) back towards whoever opened the connection.
 */
import type { Egress, NetworkSpec, Tier } from '../../spec';

export const ANYWHERE = '0.0.0.0/0';
export const EPHEMERAL = { from: 1024, to: 65535 } as const;

/** IANA protocol numbers as CloudFormation takes them; -1 is every protocol. */
export const PROTOCOL = { all: -1, tcp: 6 } as const;

export interface NaclRule {
  readonly tier: Tier;
  /** true for outbound (egress) entries. */
  readonly egress: boolean;
  /** Evaluated lowest first; unique per tier and direction. */
  readonly ruleNumber: number;
  readonly protocol: number;
  /** Absent for protocol -1 (all ports). */
  readonly ports?: { readonly from: number; readonly to: number };
  readonly cidr: string;
  /** Why the entry exists; becomes the construct id's comment in tests and docs. */
  readonly purpose: string;
}

function hasNat(egress: Egress): boolean {
  return egress !== 'none';
}

/** Every allow entry for both tiers; anything not listed is denied by the NACL's implicit rule. */
export function naclRules(network: Pick<NetworkSpec, 'cidr' | 'egress' | 'adminCidr'>): NaclRule[] {
  const vpc = network.cidr;
  const nat = hasNat(network.egress);
  const rules: Omit<NaclRule, 'ruleNumber'>[] = [
    // public tier: the load balancer faces the internet; NAT gateways live here when egress is on
    { tier: 'public', egress: false, protocol: PROTOCOL.tcp, ports: { from: 443, to: 443 }, cidr: ANYWHERE, purpose: 'HTTPS to the load balancer' },
    { tier: 'public', egress: false, protocol: PROTOCOL.tcp, ports: { from: 80, to: 80 }, cidr: ANYWHERE, purpose: 'HTTP to the load balancer (redirected or served)' },
    nat
      ? { tier: 'public', egress: false, protocol: PROTOCOL.tcp, ports: EPHEMERAL, cidr: ANYWHERE, purpose: 'return traffic from the internet to the NAT gateway and load balancer' }
      : { tier: 'public', egress: false, protocol: PROTOCOL.tcp, ports: EPHEMERAL, cidr: vpc, purpose: 'return traffic from targets in the VPC to the load balancer' },
    { tier: 'public', egress: true, protocol: PROTOCOL.tcp, ports: { from: 0, to: 65535 }, cidr: vpc, purpose: 'load balancer to targets, NAT replies to private hosts' },
    { tier: 'public', egress: true, protocol: PROTOCOL.tcp, ports: EPHEMERAL, cidr: ANYWHERE, purpose: 'return traffic to internet clients' },
    ...(nat
      ? [{ tier: 'public', egress: true, protocol: PROTOCOL.tcp, ports: { from: 443, to: 443 }, cidr: ANYWHERE, purpose: 'HTTPS from private hosts forwarded by the NAT gateway' } as const]
      : []),

    // private tier: hosts, tasks and interface endpoints; nothing from the internet starts a connection here
    { tier: 'private', egress: false, protocol: PROTOCOL.all, cidr: vpc, purpose: 'traffic from inside the VPC' },
    {
      tier: 'private',
      egress: false,
      protocol: PROTOCOL.tcp,
      ports: EPHEMERAL,
      cidr: ANYWHERE,
      purpose: nat ? 'return traffic from S3/DynamoDB gateway endpoints and through the NAT gateway' : 'return traffic from the S3/DynamoDB gateway endpoints',
    },
    { tier: 'private', egress: true, protocol: PROTOCOL.all, cidr: vpc, purpose: 'traffic to inside the VPC' },
    {
      tier: 'private',
      egress: true,
      protocol: PROTOCOL.tcp,
      ports: { from: 443, to: 443 },
      cidr: ANYWHERE,
      purpose: nat ? 'HTTPS to the gateway endpoints and through the NAT gateway' : 'HTTPS to the S3/DynamoDB gateway endpoints (AWS public ranges)',
    },
    ...(network.adminCidr
      ? ([
        { tier: 'private', egress: false, protocol: PROTOCOL.tcp, ports: { from: 22, to: 22 }, cidr: network.adminCidr, purpose: 'SSH from the admin CIDR' },
        { tier: 'private', egress: true, protocol: PROTOCOL.tcp, ports: EPHEMERAL, cidr: network.adminCidr, purpose: 'SSH return traffic to the admin CIDR' },
      ] as const)
      : []),
  ];
  return numberRules(rules);
}

/** Numbers entries 100, 110, 120… per tier and direction, in the order listed. */
function numberRules(rules: readonly Omit<NaclRule, 'ruleNumber'>[]): NaclRule[] {
  const next = new Map<string, number>();
  return rules.map((rule) => {
    const key = `${rule.tier}/${rule.egress}`;
    const ruleNumber = next.get(key) ?? 100;
    next.set(key, ruleNumber + 10);
    return { ...rule, ruleNumber };
  });
}
