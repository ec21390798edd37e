/**
 * Validates and normalises the network options: CIDR syntax, network
 * addresses, prefix bounds, containment, overlaps and the AZ layout.
 */
import {
  Ipv4Cidr,
  addressCount,
  canonical,
  carve,
  contains,
  formatCidr,
  isNetworkAddress,
  overlaps,
  parseCidr,
  usableAddressCount,
} from './cidr';
import { azLetter, subnetName } from './names';
import { EGRESS_MODES, NetworkOptions } from './options';
import { Problems, quote } from './problems';
import { Obj, addMissing, readArray, readEnum, readInteger, readObject } from './read';
import { readAzName } from './regions';
import type { AvailabilityZoneSpec, NetworkSpec, SubnetSpec, Tier } from './spec';

export const MIN_PREFIX = 16;
export const MAX_PREFIX = 28;
export const MAX_AZS = 6;

/** The retention values CloudWatch Logs accepts. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

const NETWORK_KEYS: readonly (keyof NetworkOptions)[] = [
  'cidr',
  'availabilityZones',
  'publicSubnets',
  'privateSubnets',
  'egress',
  'adminCidr',
  'flowLogRetentionDays',
];

/** Our policy for `adminCidr`: SSH from at most a /8, never from the whole internet. */
export const ADMIN_CIDR_MIN_PREFIX = 8;

interface LocatedCidr {
  readonly path: string;
  readonly text: string;
  readonly cidr: Ipv4Cidr;
  readonly name: string;
  readonly tier: Tier;
  readonly index: number;
}

/**
 * Parses one CIDR and checks it is a network address within the prefix bounds.
 * The message for a host address carries the corrected value.
 */
export function readCidr(
  problems: Problems,
  path: string,
  value: unknown,
  bounds: { min: number; max: number } = { min: MIN_PREFIX, max: MAX_PREFIX },
): Ipv4Cidr | undefined {
  if (value === undefined) {
    addMissing(problems, path, "'192.168.0.0/16' (the VPC's IPv4 block, /16 to /28)");
    return undefined;
  }
  if (typeof value !== 'string') {
    problems.add(path, `expected a CIDR string such as '192.168.0.0/24', got ${quote(value)}`);
    return undefined;
  }
  const parsed = parseCidr(value);
  if (!parsed.ok) {
    problems.add(path, `${quote(value)} is not a valid IPv4 CIDR: it ${parsed.reason}`);
    return undefined;
  }
  const { cidr } = parsed;
  let fine = true;
  if (cidr.prefix < bounds.min || cidr.prefix > bounds.max) {
    // https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html: VPC and subnet blocks are /16 to /28.
    problems.add(
      path,
      `${quote(value)} has prefix /${cidr.prefix}; AWS allows /${bounds.min} to /${bounds.max} here`,
    );
    fine = false;
  }
  if (!isNetworkAddress(cidr)) {
    const fixed = formatCidr(canonical(cidr));
    problems.add(
      path,
      `${quote(value)} is not a network address (its host bits are set); did you mean '${fixed}'?`,
    );
    fine = false;
  }
  return fine ? cidr : undefined;
}

/** Reads the AZ option: a count, or the AZ names to pin. */
function readAvailabilityZones(problems: Problems, path: string, value: unknown, region: string | undefined): AvailabilityZoneSpec[] | undefined {
  if (value === undefined) {
    addMissing(problems, path, `2 (a count from 2 to ${MAX_AZS}), or names such as ['${region ?? 'eu-west-1'}a', '${region ?? 'eu-west-1'}b']`);
    return undefined;
  }
  if (typeof value === 'number') {
    const count = readInteger(problems, path, value, -1, { min: 2, max: MAX_AZS });
    if (count < 0) return undefined;
    return Array.from({ length: count }, (_, index) => ({ index, letter: azLetter(index) }));
  }
  if (Array.isArray(value)) {
    const names = readArray(problems, path, value, (element, elementPath) => readAzName(problems, elementPath, element, region));
    if (!names || names.length !== value.length) return undefined;
    if (names.length < 2 || names.length > MAX_AZS) {
      problems.add(path, `${names.length} availability zones given; use 2 to ${MAX_AZS}`);
      return undefined;
    }
    const seen = new Set<string>();
    for (const [i, name] of names.entries()) {
      if (seen.has(name)) problems.add(`${path}[${i}]`, `'${name}' is listed twice; each AZ may appear once`);
      seen.add(name);
    }
    return names.map((name, index) => ({ index, letter: azLetter(index), name }));
  }
  problems.add(path, `expected a number of availability zones (2–${MAX_AZS}) or a list of AZ names, got ${quote(value)}`);
  return undefined;
}

function readSubnetList(problems: Problems, path: string, value: unknown, tier: Tier, example: string): LocatedCidr[] | undefined {
  if (value === undefined) {
    addMissing(problems, path, `${example} (one ${tier} subnet per availability zone)`);
    return undefined;
  }
  if (!Array.isArray(value)) {
    problems.add(path, `expected a list of ${tier} subnet CIDRs such as ['192.168.0.0/24'], got ${quote(value)}`);
    return undefined;
  }
  const located: LocatedCidr[] = [];
  value.forEach((element, index) => {
    const elementPath = `${path}[${index}]`;
    const cidr = readCidr(problems, elementPath, element);
    if (cidr) {
      located.push({ path: elementPath, text: formatCidr(cidr), cidr, name: subnetName(tier, index), tier, index });
    }
  });
  return located;
}

/** Suggests free subnets of the same size, to make an overlap message actionable. */
function suggestFree(vpc: Ipv4Cidr, prefix: number, taken: readonly Ipv4Cidr[]): string | undefined {
  const candidate = carve(vpc, prefix, 4096).find((block) => !taken.some((t) => overlaps(t, block)));
  return candidate ? formatCidr(candidate) : undefined;
}

/** Example subnet lists for a missing option: /24 blocks carved from the VPC (or the seed's VPC), one per AZ. */
function exampleSubnets(vpc: Ipv4Cidr | undefined, azCount: number, tier: Tier): string {
  const within = vpc ?? { address: 0xc0a80000, prefix: 16 };
  const prefix = Math.min(MAX_PREFIX, Math.max(within.prefix + 2, 24));
  const blocks = carve(within, prefix, 2 * azCount).map(formatCidr);
  const mine = tier === 'public' ? blocks.slice(0, azCount) : blocks.slice(azCount);
  return `[${mine.map((b) => `'${b}'`).join(', ')}]`;
}

/**
 * Reads `adminCidr`. Any IPv4 block is valid to AWS here (a network ACL entry accepts even /0:
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateNetworkAclEntry.html); the /8 floor is
 * Slipway's policy: SSH is never opened to the internet, and hosts are managed over SSM, which needs no SSH.
 */
function readAdminCidr(problems: Problems, path: string, value: unknown): Ipv4Cidr | undefined {
  if (value === undefined) return undefined;
  const cidr = readCidr(problems, path, value, { min: 0, max: 32 });
  if (cidr && cidr.prefix < ADMIN_CIDR_MIN_PREFIX) {
    problems.add(
      path,
      `${quote(value)} would open SSH (port 22) to ${cidr.prefix === 0 ? 'the whole internet' : `${addressCount(cidr).toLocaleString('en')} addresses`}, ` +
        `which Slipway's policy forbids (at most a /${ADMIN_CIDR_MIN_PREFIX}). The hosts are managed over SSM Session Manager by default, which needs no SSH ` +
        "and no open port: remove adminCidr, or set it to your admin network, e.g. '203.0.113.0/24'",
    );
    return undefined;
  }
  return cidr;
}

/** The prefix most of `subnets` share: the size a replacement for an oversized one should have. */
function commonPrefix(subnets: readonly LocatedCidr[]): number | undefined {
  const counts = new Map<number, number>();
  for (const s of subnets) counts.set(s.cidr.prefix, (counts.get(s.cidr.prefix) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0]?.[0];
}

/**
 * Overlaps between subnets. Two CIDR blocks that overlap always nest, so a subnet that covers others is the
 * one too large: it gets one message naming what it covers and a size that fits, and the subnets it covers
 * get none. Identical blocks blame the later one.
 */
function checkOverlaps(problems: Problems, vpc: Ipv4Cidr | undefined, all: readonly LocatedCidr[]): void {
  const blamed = new Set<LocatedCidr>();
  for (const big of all) {
    const covered = all.filter((small) => small !== big && small.cidr.prefix > big.cidr.prefix && overlaps(big.cidr, small.cidr));
    if (covered.length === 0) continue;
    blamed.add(big);
    const others = all.filter((s) => s !== big);
    const prefix = commonPrefix(others) ?? big.cidr.prefix + 1;
    const fit = vpc ? suggestFree(vpc, Math.max(prefix, big.cidr.prefix + 1), others.map((s) => s.cidr)) : undefined;
    const size = vpc && big.cidr.prefix <= vpc.prefix ? `is as large as the VPC ${formatCidr(vpc)}` : `is a /${big.cidr.prefix}`;
    problems.add(
      big.path,
      `'${big.text}' (${big.name}) ${size} and covers ${covered.map((c) => `${c.name} '${c.text}'`).join(', ')}; ` +
        (fit ? `use a free /${Math.max(prefix, big.cidr.prefix + 1)} such as '${fit}'` : `use a smaller block that leaves room for ${covered.length === 1 ? 'it' : 'them'}`) +
        (prefix > big.cidr.prefix ? ', the size of the other subnets' : ''),
    );
  }
  for (let i = 0; i < all.length; i++) {
    for (let j = i + 1; j < all.length; j++) {
      const a = all[i];
      const b = all[j];
      if (a.text !== b.text || blamed.has(a) || blamed.has(b)) continue;
      const sharing = a.tier !== b.tier ? ' (a public and a private subnet cannot share a CIDR)' : '';
      const fit = vpc ? suggestFree(vpc, b.cidr.prefix, all.map((s) => s.cidr)) : undefined;
      problems.add(
        b.path,
        `'${b.text}' (${b.name}) is the same network as ${a.path} '${a.text}' (${a.name})${sharing}` + (fit ? `; use a free block such as '${fit}'` : ''),
      );
    }
  }
}

export function normaliseNetwork(problems: Problems, path: string, value: unknown, region: string | undefined): NetworkSpec | undefined {
  const obj: Obj | undefined = readObject(problems, path, value, NETWORK_KEYS, `{ cidr: '192.168.0.0/16', availabilityZones: 2, publicSubnets: ${exampleSubnets(undefined, 2, 'public')}, privateSubnets: ${exampleSubnets(undefined, 2, 'private')} }`);
  if (!obj) return undefined;

  const vpc = readCidr(problems, `${path}.cidr`, obj.cidr);
  const azs = readAvailabilityZones(problems, `${path}.availabilityZones`, obj.availabilityZones, region);
  const azCount = azs?.length ?? 2;
  const publics = readSubnetList(problems, `${path}.publicSubnets`, obj.publicSubnets, 'public', exampleSubnets(vpc, azCount, 'public'));
  const privates = readSubnetList(problems, `${path}.privateSubnets`, obj.privateSubnets, 'private', exampleSubnets(vpc, azCount, 'private'));
  const egress = readEnum(problems, `${path}.egress`, obj.egress, EGRESS_MODES, 'none');
  const adminCidr = readAdminCidr(problems, `${path}.adminCidr`, obj.adminCidr);
  const flowLogRetentionDays = readInteger(problems, `${path}.flowLogRetentionDays`, obj.flowLogRetentionDays, 90, {
    min: 1,
    max: 3653,
    oneOf: LOG_RETENTION_DAYS,
  });

  // Counts are checked against the raw lists so a malformed entry does not also read as a count mismatch.
  if (azs) {
    for (const [key, list] of [['publicSubnets', obj.publicSubnets], ['privateSubnets', obj.privateSubnets]] as const) {
      if (Array.isArray(list) && list.length !== azs.length) {
        problems.add(
          `${path}.${key}`,
          `${list.length} subnet(s) given (${quote(list)}) but there are ${azs.length} availability zones; give exactly one per AZ`,
        );
      }
    }
  }

  const all = [...(publics ?? []), ...(privates ?? [])];
  if (vpc) {
    for (const subnet of all) {
      if (!contains(vpc, subnet.cidr)) {
        const fit = suggestFree(vpc, subnet.cidr.prefix, all.map((s) => s.cidr));
        problems.add(
          subnet.path,
          `'${subnet.text}' (${subnet.name}) is outside the VPC ${formatCidr(vpc)}` +
            (fit ? `; pick a block inside it, e.g. '${fit}'` : '; pick a block inside it'),
        );
      }
    }
  }
  checkOverlaps(problems, vpc, all);

  if (!vpc || !azs || !publics || !privates) return undefined;
  if (publics.length !== azs.length || privates.length !== azs.length) return undefined;

  const subnets: SubnetSpec[] = all.map((s) => ({
    name: s.name,
    tier: s.tier,
    azIndex: s.index,
    cidr: s.text,
    totalAddresses: addressCount(s.cidr),
    usableAddresses: usableAddressCount(s.cidr),
  }));
  return {
    cidr: formatCidr(vpc),
    totalAddresses: addressCount(vpc),
    availabilityZones: azs,
    subnets,
    egress,
    ...(adminCidr ? { adminCidr: formatCidr(adminCidr) } : {}),
    flowLogRetentionDays,
  };
}
