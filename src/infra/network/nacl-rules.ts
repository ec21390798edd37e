/**
 * The network ACL entries for each tier, as plain data. NACLs are stateless,
 * so every flow the design allows has its return traffic spelled out here:
 * ephemeral ports back towards whoever opened the connection. Every entry
 * carries its own rule number, so adding one never renumbers (and so
 * replaces) the entries after it; leave gaps of 10 for later insertions.
 */
import type { Egress, NetworkSpec, Tier } from '../../spec';

export const ANYWHERE = '0.0.0.0/0';

/** IANA protocol numbers as CloudFormation takes them; -1 is every protocol. */
export const PROTOCOL = { all: -1, tcp: 6 } as const;

export interface PortRange {
  readonly from: number;
  readonly to: number;
}

/** What an entry matches, in the style of aws-cdk's AclTraffic. */
export interface Traffic {
  readonly protocol: number;
  /** Absent for protocol -1 (all ports). */
  readonly ports?: PortRange;
}

export const Traffic = {
  tcpPort: (port: number): Traffic => ({ protocol: PROTOCOL.tcp, ports: { from: port, to: port } }),
  tcpPortRange: (from: number, to: number): Traffic => ({ protocol: PROTOCOL.tcp, ports: { from, to } }),
  allTraffic: (): Traffic => ({ protocol: PROTOCOL.all }),
};

/**
 * Ephemeral ports. A NAT gateway (and a load balancer) answers from 1024–65535; the private tier
 * holds only Linux (AL2023 hosts, Fargate tasks, Lambda), whose kernels pick 32768–60999, so return
 * traffic from outside the VPC needs only 32768–65535 there, which leaves out every admin port
 * (RDP 3389, WinRM 5985/5986, VNC 5900). https://docs.aws.amazon.com/vpc/latest/userguide/nacl-ephemeral-ports.html
 */
export const EPHEMERAL = { from: 1024, to: 65535 } as const;
export const LINUX_EPHEMERAL = { from: 32768, to: 65535 } as const;
/** RDP: a return range open to the internet must not admit it (the cfn-guard NACL SSH/RDP control). */
export const RDP_PORT = 3389;

export interface NaclRule extends Traffic {
  readonly tier: Tier;
  /** true for outbound (egress) entries. */
  readonly egress: boolean;
  /** Evaluated lowest first; unique per tier and direction; fixed for the entry's life. */
  readonly ruleNumber: number;
  readonly cidr: string;
  /** Why the entry exists; becomes the construct id's comment in tests and docs. */
  readonly purpose: string;
}

function hasNat(egress: Egress): boolean {
  return egress !== 'none';
}

type Entry = Omit<NaclRule, 'tier' | 'egress' | 'protocol' | 'ports'> & { readonly traffic: Traffic };

const entry = (ruleNumber: number, traffic: Traffic, cidr: string, purpose: string): Entry => ({ ruleNumber, traffic, cidr, purpose });

/** Every allow entry for both tiers; anything not listed is denied by the NACL's implicit rule. */
export function naclRules(network: Pick<NetworkSpec, 'cidr' | 'egress' | 'adminCidr'>): NaclRule[] {
  const vpc = network.cidr;
  const nat = hasNat(network.egress);
  const admin = network.adminCidr;
  const table: Record<Tier, { ingress: (Entry | false | undefined)[]; egress: (Entry | false | undefined)[] }> = {
    // public tier: the load balancer faces the internet; NAT gateways live here when egress is on
    public: {
      ingress: [
        entry(100, Traffic.tcpPort(443), ANYWHERE, 'HTTPS to the load balancer'),
        entry(110, Traffic.tcpPort(80), ANYWHERE, 'HTTP to the load balancer (redirected or served)'),
        nat
          ? entry(120, Traffic.tcpPortRange(EPHEMERAL.from, RDP_PORT - 1), ANYWHERE, 'return traffic from the internet to the NAT gateway and load balancer (below RDP)')
          : entry(120, Traffic.tcpPortRange(EPHEMERAL.from, EPHEMERAL.to), vpc, 'return traffic from targets in the VPC to the load balancer'),
        nat && entry(130, Traffic.tcpPortRange(RDP_PORT + 1, EPHEMERAL.to), ANYWHERE, 'return traffic from the internet to the NAT gateway and load balancer (above RDP)'),
      ],
      egress: [
        entry(100, Traffic.tcpPortRange(0, 65535), vpc, 'load balancer to targets, NAT replies to private hosts'),
        entry(110, Traffic.tcpPortRange(EPHEMERAL.from, EPHEMERAL.to), ANYWHERE, 'return traffic to internet clients'),
        nat && entry(120, Traffic.tcpPort(443), ANYWHERE, 'HTTPS from private hosts forwarded by the NAT gateway'),
      ],
    },
    // private tier: hosts, tasks and interface endpoints; nothing from the internet starts a connection here
    private: {
      ingress: [
        entry(100, Traffic.allTraffic(), vpc, 'traffic from inside the VPC'),
        entry(
          110,
          Traffic.tcpPortRange(LINUX_EPHEMERAL.from, LINUX_EPHEMERAL.to),
          ANYWHERE,
          nat ? 'return traffic from S3/DynamoDB gateway endpoints and through the NAT gateway' : 'return traffic from the S3/DynamoDB gateway endpoints',
        ),
        admin !== undefined && entry(120, Traffic.tcpPort(22), admin, 'SSH from the admin CIDR'),
      ],
      egress: [
        entry(100, Traffic.allTraffic(), vpc, 'traffic to inside the VPC'),
        entry(110, Traffic.tcpPort(443), ANYWHERE, nat ? 'HTTPS to the gateway endpoints and through the NAT gateway' : 'HTTPS to the S3/DynamoDB gateway endpoints (AWS public ranges)'),
        admin !== undefined && entry(120, Traffic.tcpPortRange(EPHEMERAL.from, EPHEMERAL.to), admin, 'SSH return traffic to the admin CIDR'),
      ],
    },
  };
  return (['public', 'private'] as const).flatMap((tier) =>
    (['ingress', 'egress'] as const).flatMap((direction) =>
      table[tier][direction]
        .filter((e): e is Entry => Boolean(e))
        .map(({ traffic, ...rest }) => ({ tier, egress: direction === 'egress', ...traffic, ...rest })),
    ),
  );
}
