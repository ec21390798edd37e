import { deriveNames, hostTransferBucketName, maxServiceNameLength } from '../../src/spec';
import { KNOWN_REGIONS } from '../../src/spec/regions';

describe('the host transfer bucket (the bucket the Ansible SSM connection moves files through)', () => {
  test('derives from the service name; the account id and region complete it, since S3 names are global', () => {
    expect(hostTransferBucketName(deriveNames('flask-app'), '123456789012', 'eu-west-1')).toBe('flask-app-hosts-123456789012-eu-west-1');
  });

  test('the same service in two regions of one account gets two buckets', () => {
    const names = deriveNames('flask-app');
    expect(hostTransferBucketName(names, '123456789012', 'eu-west-1')).not.toBe(hostTransferBucketName(names, '123456789012', 'us-east-1'));
  });

  test('fits the S3 limit of 63 characters for the longest service name allowed, in the longest region name', () => {
    const longest = 'a'.repeat(maxServiceNameLength());
    const longestRegion = [...KNOWN_REGIONS].sort((a, b) => b.length - a.length)[0];
    expect(hostTransferBucketName(deriveNames(longest), '123456789012', longestRegion).length).toBeLessThanOrEqual(63);
  });
});
