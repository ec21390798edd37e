import { seedOptions, problemsOf } from './fixtures';
import { normaliseServiceOptions } from '../../src/spec';


describe('alarms: a protected environment must tell someone', () => {
  // The seed is unprotected until it has HTTPS; a protected environment here has a certificate.
  const protectedOptions = () => ({
    ...seedOptions(),
    protectedEnvironment: true,
    container: { ...seedOptions().container, certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/0f8b1d2c-3a4b-4c5d-8e9f-0a1b2c3d4e5f' },
  });

  it('rejects a protected environment without an alarm subscriber, with the fix', () => {
    const { alarms: _none, ...options } = protectedOptions();
    expect(problemsOf(options)).toEqual([
      "service.alarms.email: a protected environment needs someone to receive its alarms, but no subscriber is set; add alarms: { email: 'oncall@example.com' } " +
        '(your on-call address), or set protectedEnvironment: false',
    ]);
    expect(problemsOf({ ...options, alarms: {} })).toHaveLength(1);
  });

  it('accepts an unprotected environment without one, and a protected one with one', () => {
    const { alarms: _none, ...options } = protectedOptions();
    expect(normaliseServiceOptions({ ...options, protectedEnvironment: false }).alarms).toEqual({});
    expect(normaliseServiceOptions(protectedOptions()).alarms).toEqual({ email: 'oncall@example.com' });
  });
});

describe('hosts.imageId: the AMI pin', () => {
  it('is absent by default (the hosts follow the AL2023 parameter) and kept when set', () => {
    expect(normaliseServiceOptions(seedOptions()).hosts.imageId).toBeUndefined();
    for (const id of ['ami-0abcdef1234567890', 'ami-12345678']) {
      expect(normaliseServiceOptions({ ...seedOptions(), hosts: { imageId: id } }).hosts.imageId).toBe(id);
    }
  });

  it.each(['ami-0ABCDEF1234567890', 'ami-123', 'al2023', '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64'])(
    'rejects %s, naming the expected form',
    (bad) => {
      expect(problemsOf({ ...seedOptions(), hosts: { imageId: bad } })).toEqual([
        expect.stringMatching(/^service\.hosts\.imageId: '.*' is not valid: expected an AMI id such as 'ami-0abcdef1234567890' \(ami- and 8 or 17 lowercase hex digits\)/),
      ]);
    },
  );
});
