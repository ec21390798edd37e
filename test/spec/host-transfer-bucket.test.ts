import { deriveNames, hostTransferBucketName, maxServiceNameLength } from '../../src/spec';
import { KNOWN_REGIONS } from '../../src/spec/regions';

describe('the host transfer bucket (the bucket the Ansible SSM connection moves files through)', () => {
  test('derives from the service and stage names; the account id and region complete it, since S3 names are global', () => {
    expect(hostTransferBucketName(deriveNames('flask-app', 'production'), '123456789012', 'eu-west-1')).toBe('flask-app-production-hosts-123456789012-eu-west-1');
  });

  test('two stages of one service in one account and region get two buckets', () => {
    const bucket = (stage: string) => hostTransferBucketName(deriveNames('flask-app', stage), '123456789012', 'eu-west-1');
    expect(bucket('staging')).not.toBe(bucket('production'));
  });

  test('the same service in two regions of one account gets two buckets', () => {
    const names = deriveNames('flask-app', 'production');
    expect(hostTransferBucketName(names, '123456789012', 'eu-west-1')).not.toBe(hostTransferBucketName(names, '123456789012', 'us-east-1'));
  });

  test('fits the S3 limit of 63 characters for the longest service name allowed with its stage, in the longest region name', () => {
    const stage = 'production';
    const longest = 'a'.repeat(maxServiceNameLength(stage.length));
    const longestRegion = [...KNOWN_REGIONS].sort((a, b) => b.length - a.length)[0];
    expect(hostTransferBucketName(deriveNames(longest, stage), '123456789012', longestRegion).length).toBeLessThanOrEqual(63);
  });
});
