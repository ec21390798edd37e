import {
  addressCount,
  canonical,
  carve,
  contains,
  formatCidr,
  isNetworkAddress,
  overlaps,
  parseCidr,
  usableAddressCount,
  Ipv4Cidr,
} from '../../src/spec';

function cidr(text: string): Ipv4Cidr {
  const parsed = parseCidr(text);
  if (!parsed.ok) throw new Error(`${text}: ${parsed.reason}`);
  return parsed.cidr;
}

describe('parseCidr', () => {
  test.each([
    ['192.168.0.0', 'is not in the form'],
    ['192.168.0.0/', 'is not in the form'],
    ['192.168.0/24', 'is not in the form'],
    ['256.1.1.1/24', 'octet 256 above 255'],
    ['10.0.0.0/33', 'prefix /33'],
    ['ten.0.0.0/8', 'is not in the form'],
  ])('rejects %s', (text, reason) => {
    const parsed = parseCidr(text);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.reason).toContain(reason);
  });

  test('round-trips through format', () => {
    expect(formatCidr(cidr('192.168.10.0/24'))).toBe('192.168.10.0/24');
    expect(formatCidr(cidr('0.0.0.0/0'))).toBe('0.0.0.0/0');
    expect(formatCidr(cidr('255.255.255.255/32'))).toBe('255.255.255.255/32');
  });
});

describe('address arithmetic', () => {
  test('a /24 has 256 addresses, 251 usable in AWS', () => {
    expect(addressCount(cidr('192.168.0.0/24'))).toBe(256);
    expect(usableAddressCount(cidr('192.168.0.0/24'))).toBe(251);
    expect(addressCount(cidr('192.168.0.0/16'))).toBe(65536);
    expect(usableAddressCount(cidr('10.0.0.0/28'))).toBe(11);
  });

  test('192.168.0.1/24 is not a network address; its canonical form is 192.168.0.0/24', () => {
    expect(isNetworkAddress(cidr('192.168.0.1/24'))).toBe(false);
    expect(formatCidr(canonical(cidr('192.168.0.1/24')))).toBe('192.168.0.0/24');
    expect(isNetworkAddress(cidr('192.168.0.0/24'))).toBe(true);
  });

  test('containment and overlap', () => {
    const vpc = cidr('192.168.0.0/16');
    expect(contains(vpc, cidr('192.168.3.0/24'))).toBe(true);
    expect(contains(vpc, cidr('10.0.0.0/24'))).toBe(false);
    expect(contains(cidr('192.168.0.0/24'), vpc)).toBe(false);
    expect(overlaps(cidr('192.168.0.0/23'), cidr('192.168.1.0/24'))).toBe(true);
    expect(overlaps(cidr('192.168.0.0/24'), cidr('192.168.1.0/24'))).toBe(false);
  });

  test('carve yields consecutive blocks within the range only', () => {
    expect(carve(cidr('10.0.0.0/23'), 24, 5).map(formatCidr)).toEqual(['10.0.0.0/24', '10.0.1.0/24']);
  });
});
