import { deriveNames, maxServiceNameLength } from '../../src/spec';

describe('names.hostTransferBucketPrefix (the bucket the Ansible SSM connection moves files through)', () => {
  test('derives from the service name; the account id completes it, since S3 names are global', () => {
    expect(deriveNames('flask-app').hostTransferBucketPrefix).toBe('flask-app-host-transfer');
  });

  test('with a 12-digit account id it fits the S3 limit of 63 characters for the longest service name allowed', () => {
    const longest = 'a'.repeat(maxServiceNameLength());
    expect(`${deriveNames(longest).hostTransferBucketPrefix}-123456789012`.length).toBeLessThanOrEqual(63);
  });
});
