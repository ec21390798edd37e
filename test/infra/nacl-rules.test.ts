import { ANYWHERE, EPHEMERAL, LINUX_EPHEMERAL, NaclRule, PROTOCOL, RDP_PORT, Traffic, naclRules } from '../../src/infra/network/nacl-rules';

const base = { cidr: '192.168.0.0/16', egress: 'none' as const };

function find(rules: NaclRule[], tier: 'public' | 'private', egress: boolean, cidr: string, from?: number): NaclRule[] {
  return rules.filter((r) => r.tier === tier && r.egress === egress && r.cidr === cidr && (from === undefined || r.ports?.from === from));
}

describe('naclRules', () => {
  it('numbers entries uniquely per tier and direction, each with its own fixed number', () => {
    for (const network of [base, { ...base, egress: 'nat-gateway' as const, adminCidr: '203.0.113.0/24' }]) {
      const rules = naclRules(network);
      for (const tier of ['public', 'private'] as const) {
        for (const egress of [false, true]) {
          const numbers = rules.filter((r) => r.tier === tier && r.egress === egress).map((r) => r.ruleNumber);
          expect(new Set(numbers).size).toBe(numbers.length);
        }
      }
    }
  });

  it('an entry keeps its number when an optional entry before it comes or goes (no renumbering, no replacement)', () => {
    const key = (r: NaclRule) => `${r.tier}/${r.egress}/${r.purpose}`;
    const numbered = (rules: NaclRule[]) => new Map(rules.map((r) => [key(r), r.ruleNumber]));
    const plain = numbered(naclRules(base));
    const more = numbered(naclRules({ ...base, adminCidr: '203.0.113.0/24' }));
    for (const [k, n] of plain) expect({ k, n: more.get(k) }).toEqual({ k, n });
    expect(naclRules({ ...base, adminCidr: '203.0.113.0/24' }).find((r) => r.ports?.from === 22)?.ruleNumber).toBe(120);
  });

  it('no entry open to the internet admits SSH or RDP, with or without NAT (the cfn-guard NACL control)', () => {
    for (const network of [base, { ...base, egress: 'nat-gateway' as const }, { ...base, egress: 'nat-gateway-per-az' as const, adminCidr: '203.0.113.0/24' }]) {
      const open = naclRules(network).filter((r) => !r.egress && r.cidr === ANYWHERE);
      for (const port of [22, RDP_PORT]) {
        expect(open.filter((r) => r.protocol === PROTOCOL.all || (r.ports && r.ports.from <= port && port <= r.ports.to))).toEqual([]);
      }
    }
    // the private tier's return range from outside is the Linux one, which holds no admin port
    expect(find(naclRules(base), 'private', false, ANYWHERE)).toEqual([expect.objectContaining(Traffic.tcpPortRange(LINUX_EPHEMERAL.from, LINUX_EPHEMERAL.to))]);
  });

  it('public tier admits 80 and 443 from anywhere, and nothing else from the internet without egress', () => {
    const rules = naclRules(base);
    const fromInternet = find(rules, 'public', false, ANYWHERE);
    expect(fromInternet.map((r) => r.ports)).toEqual([{ from: 443, to: 443 }, { from: 80, to: 80 }]);
    // ephemeral return into the public tier only from the VPC (targets answering the load balancer)
    expect(find(rules, 'public', false, base.cidr)).toEqual([expect.objectContaining({ protocol: PROTOCOL.tcp, ports: EPHEMERAL })]);
  });

  it('with a NAT gateway, the public tier takes ephemeral return from anywhere and forwards HTTPS out', () => {
    const rules = naclRules({ ...base, egress: 'nat-gateway-per-az' });
    // 1024–65535 around RDP: two entries
    expect(find(rules, 'public', false, ANYWHERE).filter((r) => r.ports!.to - r.ports!.from > 1).map((r) => r.ports)).toEqual([
      { from: EPHEMERAL.from, to: RDP_PORT - 1 },
      { from: RDP_PORT + 1, to: EPHEMERAL.to },
    ]);
    expect(find(rules, 'public', true, ANYWHERE, 443)).toHaveLength(1);
    expect(find(naclRules(base), 'public', true, ANYWHERE, 443)).toHaveLength(0);
  });

  it('every allowed request direction has its ephemeral return in the other direction', () => {
    const rules = naclRules({ ...base, egress: 'nat-gateway', adminCidr: '203.0.113.0/24' });
    const covers = (r: NaclRule, port: number) =>
      r.protocol === PROTOCOL.all || (r.ports !== undefined && r.ports.from <= port && port <= r.ports.to);
    const inCidr = (rule: NaclRule, peer: string) => rule.cidr === ANYWHERE || rule.cidr === peer;
    for (const request of rules.filter((r) => r.ports && r.ports.from === r.ports.to)) {
      // a request to a single port must be able to come back on an ephemeral port
      const returns = rules.filter((r) => r.tier === request.tier && r.egress !== request.egress && inCidr(r, request.cidr) && covers(r, 49152));
      expect({ request: request.purpose, returns: returns.length > 0 }).toEqual({ request: request.purpose, returns: true });
    }
  });

  it('private tier admits the VPC CIDR on every protocol and nothing from the internet but ephemeral return', () => {
    const rules = naclRules(base);
    const fromVpc = find(rules, 'private', false, base.cidr);
    expect(fromVpc).toEqual([expect.objectContaining({ protocol: PROTOCOL.all })]);
    expect(fromVpc[0].ports).toBeUndefined();
    expect(find(rules, 'private', false, ANYWHERE)).toEqual([expect.objectContaining({ protocol: PROTOCOL.tcp, ports: LINUX_EPHEMERAL })]);
    expect(find(rules, 'private', true, ANYWHERE)).toEqual([expect.objectContaining({ protocol: PROTOCOL.tcp, ports: { from: 443, to: 443 } })]);
  });

  it('SSH is closed unless the spec sets an admin CIDR, and then open only from it, only on the private tier', () => {
    expect(naclRules(base).filter((r) => r.ports?.from === 22)).toEqual([]);
    const rules = naclRules({ ...base, adminCidr: '203.0.113.0/24' });
    expect(rules.filter((r) => r.ports?.from === 22)).toEqual([
      expect.objectContaining({ tier: 'private', egress: false, cidr: '203.0.113.0/24', ports: { from: 22, to: 22 } }),
    ]);
    expect(find(rules, 'private', true, '203.0.113.0/24')).toEqual([expect.objectContaining({ ports: EPHEMERAL })]);
  });
});
