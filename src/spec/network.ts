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
import { Obj, readArray, readEnum, readInteger, readObject } from './read';
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

const AZ_NAME = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d[a-z]$/;

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
  if (typeof value === 'number') {
    const count = readInteger(problems, path, value, -1, { min: 2, max: MAX_AZS });
    if (count < 0) return undefined;
    return Array.from({ length: count }, (_, index) => ({ index, letter: azLetter(index) }));
  }
  if (Array.isArray(value)) {
    const names = readArray(problems, path, value, (element, elementPath) => {
      if (typeof element !== 'string' || !AZ_NAME.test(element)) {
        problems.add(elementPath, `${quote(element)} is not an availability zone name such as '${region ?? 'eu-west-1'}a'`);
        return undefined;
      }
      if (region && !element.startsWith(region)) {
        problems.add(elementPath, `${quote(element)} is not in the service's region '${region}'; use e.g. '${region}a'`);
        return undefined;
      }
      return element;
    });
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

function readSubnetList(problems: Problems, path: string, value: unknown, tier: Tier): LocatedCidr[] | undefined {
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

export function normaliseNetwork(problems: Problems, path: string, value: unknown, region: string | undefined): NetworkSpec | undefined {
  const obj: Obj | undefined = readObject(problems, path, value, NETWORK_KEYS);
  if (!obj) return undefined;

  const vpc = readCidr(problems, `${path}.cidr`, obj.cidr);
  const azs = readAvailabilityZones(problems, `${path}.availabilityZones`, obj.availabilityZones, region);
  const publics = readSubnetList(problems, `${path}.publicSubnets`, obj.publicSubnets, 'public');
  const privates = readSubnetList(problems, `${path}.privateSubnets`, obj.privateSubnets, 'private');
  const egress = readEnum(problems, `${path}.egress`, obj.egress, EGRESS_MODES, 'none');
  const adminCidr = obj.adminCidr === undefined ? undefined : readCidr(problems, `${path}.adminCidr`, obj.adminCidr, { min: 8, max: 32 });
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
  for (let i = 0; i < all.length; i++) {
    for (let j = i + 1; j < all.length; j++) {
      const a = all[i];
      const b = all[j];
      if (!overlaps(a.cidr, b.cidr)) continue;
      const same = a.text === b.text;
      const sharing = same && a.tier !== b.tier ? ' (a public and a private subnet cannot share a CIDR)' : '';
      const fit = vpc ? suggestFree(vpc, b.cidr.prefix, all.map((s) => s.cidr)) : undefined;
      problems.add(
        b.path,
        `'${b.text}' (${b.name}) ${same ? 'is the same network as' : 'overlaps'} ${a.path} '${a.text}' (${a.name})${sharing}` +
          (fit ? `; use a free block such as '${fit}'` : ''),
      );
    }
  }

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
