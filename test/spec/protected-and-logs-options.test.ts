/**
 * The options a protected environment and the logs domain add: HTTPS is
 * required when protected, the domain must sit in its hosted zone, and the
 * OpenSearch sizing follows AWS's guidance when protected.
 */
import { seedOptions, problemsOf } from './fixtures';
import { normaliseServiceOptions } from '../../src/spec';


const DOMAIN = { name: 'app.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ', hostedZoneName: 'example.com' };
const CERTIFICATE = 'arn:aws:acm:eu-west-1:123456789012:certificate/abc';

describe('protected environments serve HTTPS', () => {
  test('protected without a certificate or domain is rejected, naming both options and the way out', () => {
    const [problem] = problemsOf({ ...seedOptions(), protectedEnvironment: true });
    expect(problem).toMatch(/^service\.protectedEnvironment: a protected environment serves HTTPS only.*container\.domain.*container\.certificateArn.*protectedEnvironment: false/);
  });

  test('protected by default once a domain or certificate is set; unprotected without', () => {
    expect(normaliseServiceOptions(seedOptions()).protectedEnvironment).toBe(false);
    expect(normaliseServiceOptions({ ...seedOptions(), container: { domain: DOMAIN } }).protectedEnvironment).toBe(true);
    expect(normaliseServiceOptions({ ...seedOptions(), container: { certificateArn: CERTIFICATE } }).protectedEnvironment).toBe(true);
    const optedOut = normaliseServiceOptions({ ...seedOptions(), protectedEnvironment: false, container: { domain: DOMAIN } });
    expect(optedOut.protectedEnvironment).toBe(false);
  });

  test('the domain must be inside its hosted zone, with a real zone id', () => {
    expect(problemsOf({ ...seedOptions(), container: { domain: { ...DOMAIN, name: 'app.example.org' } } })).toEqual([
      "service.container.domain.name: 'app.example.org' is not inside the hosted zone 'example.com'; use a name ending in '.example.com' (or the zone's own name)",
    ]);
    const [zone] = problemsOf({ ...seedOptions(), container: { domain: { ...DOMAIN, hostedZoneId: 'example.com' } } });
    expect(zone).toMatch(/^service\.container\.domain\.hostedZoneId: .*Z0123456789ABCDEFGHIJ/);
    const [unknown] = problemsOf({ ...seedOptions(), container: { domain: { ...DOMAIN, zone: 'x' } } });
    expect(unknown).toMatch(/zone/);
  });
});

describe('logs domain sizing and account prerequisites', () => {
  test('unprotected: small sizing, no masters, the service-linked role assumed present', () => {
    const { logs } = normaliseServiceOptions(seedOptions());
    expect(logs).toMatchObject({ openSearchInstanceType: 't3.small.search', openSearchDataNodes: 2, openSearchMasterNodes: 0, createServiceLinkedRole: false, readerPrincipalArns: [] });
  });

  test('protected: three masters and four m7g data nodes over two AZs', () => {
    const { logs } = normaliseServiceOptions({ ...seedOptions(), container: { domain: DOMAIN } });
    expect(logs).toMatchObject({ openSearchInstanceType: 'm7g.large.search', openSearchDataNodes: 4, openSearchMasterNodes: 3, openSearchMasterInstanceType: 'm7g.large.search' });
  });

  test('protected sizing that cannot keep a quorum, or on burstable types, is rejected with the fix', () => {
    const base = { ...seedOptions(), container: { domain: DOMAIN } };
    expect(problemsOf({ ...base, logs: { openSearchMasterNodes: 0, openSearchDataNodes: 2 } })).toEqual([
      expect.stringMatching(/^service\.logs\.openSearchMasterNodes: .*three dedicated master nodes or at least three data nodes.*openSearchMasterNodes: 3/),
    ]);
    expect(problemsOf({ ...base, logs: { openSearchInstanceType: 't3.medium.search' } })).toEqual([
      expect.stringMatching(/^service\.logs\.openSearchInstanceType: 't3\.medium\.search' is a burstable type.*m7g\.large\.search/),
    ]);
    expect(problemsOf({ ...base, logs: { openSearchMasterNodes: 2 } })).toEqual([expect.stringMatching(/openSearchMasterNodes: 2 is not allowed; use one of 0, 3, 5/)]);
  });

  test('reader principals must be IAM role or user ARNs', () => {
    const [problem] = problemsOf({ ...seedOptions(), logs: { readerPrincipalArns: ['operators'] } });
    expect(problem).toMatch(/^service\.logs\.readerPrincipalArns\[0\]: .*arn:aws:iam::123456789012:role\/operators/);
    expect(normaliseServiceOptions({ ...seedOptions(), logs: { readerPrincipalArns: ['arn:aws:iam::123456789012:role/ops'] } }).logs.readerPrincipalArns).toEqual(['arn:aws:iam::123456789012:role/ops']);
  });
});
