/* eslint-disable no-bitwise -- IPv4 arithmetic is bit arithmetic; this module is its only home. */
/**
 * Pure IPv4 CIDR arithmetic. No dependencies, no I/O: the spec validator and
 * the summary both use it, and it is tested on its own.
 */

/** A parsed IPv4 network in CIDR notation. */
export interface Ipv4Cidr {
  /** The address as written, as an unsigned 32-bit integer. */
  readonly address: number;
  /** The prefix length, 0–32. */
  readonly prefix: number;
}

/** Why a string is not a CIDR, in words a person can act on. */
export type CidrParseResult =
  | { readonly ok: true; readonly cidr: Ipv4Cidr }
  | { readonly ok: false; readonly reason: string };

const CIDR_PATTERN = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

export function parseCidr(text: string): CidrParseResult {
  const match = CIDR_PATTERN.exec(text.trim());
  if (!match) {
    return { ok: false, reason: 'is not in the form a.b.c.d/prefix (for example 10.0.0.0/24)' };
  }
  const octets = match.slice(1, 5).map(Number);
  const bad = octets.find((o) => o > 255);
  if (bad !== undefined) {
    return { ok: false, reason: `has an octet ${bad} above 255` };
  }
  const prefix = Number(match[5]);
  if (prefix > 32) {
    return { ok: false, reason: `has a prefix /${prefix}; an IPv4 prefix is between /0 and /32` };
  }
  const address = (((octets[0] << 24) >>> 0) + (octets[1] << 16) + (octets[2] << 8) + octets[3]) >>> 0;
  return { ok: true, cidr: { address, prefix } };
}

/** The netmask of a prefix as an unsigned 32-bit integer. */
export function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** The network address of the block (host bits cleared). */
export function networkAddress(cidr: Ipv4Cidr): number {
  return (cidr.address & maskOf(cidr.prefix)) >>> 0;
}

/** True when the address has no host bits set, e.g. 192.168.0.0/24 but not 192.168.0.1/24. */
export function isNetworkAddress(cidr: Ipv4Cidr): boolean {
  return networkAddress(cidr) === cidr.address;
}

/** The block rewritten with its host bits cleared: the value a user meant. */
export function canonical(cidr: Ipv4Cidr): Ipv4Cidr {
  return { address: networkAddress(cidr), prefix: cidr.prefix };
}

export function formatAddress(address: number): string {
  return [24, 16, 8, 0].map((shift) => (address >>> shift) & 0xff).join('.');
}

export function formatCidr(cidr: Ipv4Cidr): string {
  return `${formatAddress(cidr.address)}/${cidr.prefix}`;
}

/** How many addresses the block spans (a /24 spans 256). */
export function addressCount(cidr: Ipv4Cidr): number {
  return 2 ** (32 - cidr.prefix);
}

/** First and last address of the block, inclusive. */
export function rangeOf(cidr: Ipv4Cidr): readonly [number, number] {
  const first = networkAddress(cidr);
  return [first, first + addressCount(cidr) - 1];
}

/** True when `inner` lies entirely inside `outer`. */
export function contains(outer: Ipv4Cidr, inner: Ipv4Cidr): boolean {
  const [oFirst, oLast] = rangeOf(outer);
  const [iFirst, iLast] = rangeOf(inner);
  return iFirst >= oFirst && iLast <= oLast;
}

/** True when the two blocks share at least one address. */
export function overlaps(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  const [aFirst, aLast] = rangeOf(a);
  const [bFirst, bLast] = rangeOf(b);
  return aFirst <= bLast && bFirst <= aLast;
}

/** The AWS rule: every subnet loses five addresses (network, router, DNS, reserved, broadcast). */
export const AWS_RESERVED_ADDRESSES_PER_SUBNET = 5;

export function usableAddressCount(cidr: Ipv4Cidr): number {
  return Math.max(0, addressCount(cidr) - AWS_RESERVED_ADDRESSES_PER_SUBNET);
}

/**
 * Consecutive /`prefix` blocks inside `within`, starting at its first address:
 * used to suggest free subnets in error messages.
 */
export function carve(within: Ipv4Cidr, prefix: number, count: number): Ipv4Cidr[] {
  const size = 2 ** (32 - prefix);
  const [first, last] = rangeOf(within);
  const blocks: Ipv4Cidr[] = [];
  for (let address = first; address + size - 1 <= last && blocks.length < count; address += size) {
    blocks.push({ address, prefix });
  }
  return blocks;
}
