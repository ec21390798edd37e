/**
 * The S3 bucket Ansible's SSM connection moves files through, named as the
 * generated inventory names it (`<names.hostTransferBucketPrefix>-<account id>`).
 * Its objects are copies in flight between the controller and a host, so
 * they expire after a day and are not versioned; the bucket itself is
 * retained like every Slipway bucket, and its access logs go to a log bucket.
 */
import { Aws, Duration, Stack, aws_iam as iam, aws_s3 as s3 } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { hostTransferBucketName as transferBucketName, type ServiceSpec } from '../../spec';
import { acknowledge } from '../acknowledge';
import { accessLogBucket, secureBucket } from '../secure-bucket';

/** A transfer lives for one Ansible task; a day covers any run that was interrupted before cleaning up. */
export const TRANSFER_OBJECT_DAYS = 1;
/** Days the transfer bucket's server access logs are kept (as the other stacks keep theirs). */
export const TRANSFER_ACCESS_LOG_DAYS = 90;
export const TRANSFER_ACCESS_LOG_PREFIX = 'host-transfer/';
/** The wildcard actions CDK's `bucket.grantReadWrite` expands to; each is acknowledged on the role. */
export const TRANSFER_GRANT_ACTION_WILDCARDS = ['s3:Abort*', 's3:DeleteObject*', 's3:GetBucket*', 's3:GetObject*', 's3:List*'] as const;

/** The bucket name the inventory computes from the instance's owner account; `account` may be a token. */
export function hostTransferBucketName(spec: ServiceSpec, account: string): string {
  return transferBucketName(spec.names, account, spec.region);
}

export interface HostTransferBucket {
  readonly bucket: s3.Bucket;
  readonly accessLogs: s3.Bucket;
}

/** Creates the bucket in the stack's own account and lets `role` (the hosts) read and write it. */
export function hostTransferBucket(scope: Construct, id: string, spec: ServiceSpec, role: iam.Role): HostTransferBucket {
  const accessLogs = accessLogBucket(scope, `${id}AccessLogs`, TRANSFER_ACCESS_LOG_DAYS);
  const bucket = secureBucket(scope, id, {
    // AWS::AccountId, not a synth-time account: the template stays environment-agnostic.
    bucketName: hostTransferBucketName(spec, Aws.ACCOUNT_ID),
    accessLogs: { bucket: accessLogs, prefix: TRANSFER_ACCESS_LOG_PREFIX },
    expireAfterDays: TRANSFER_OBJECT_DAYS,
    versioned: false,
  });
  // Uploads an interrupted run left half-done would otherwise be billed until someone aborts them.
  bucket.addLifecycleRule({ abortIncompleteMultipartUploadAfter: Duration.days(TRANSFER_OBJECT_DAYS) });
  bucket.grantReadWrite(role);
  const bucketArn = `<${Stack.of(scope).getLogicalId(bucket.node.defaultChild as s3.CfnBucket)}.Arn>`;
  acknowledge(
    role,
    ...TRANSFER_GRANT_ACTION_WILDCARDS.map((action) => ({
      id: `AwsSolutions-IAM5[Action::${action}]`,
      reason: `${action} is part of CDK's bucket read/write grant and applies only to the host transfer bucket and its objects, which Ansible's SSM connection puts, gets and deletes.`,
    })),
    {
      id: `AwsSolutions-IAM5[Resource::${bucketArn}/*]`,
      reason: 'Ansible\'s SSM connection keys each transfer object by instance id and a generated temporary path; the wildcard is object keys inside this one transfer bucket, whose objects expire after a day.',
    },
  );
  return { bucket, accessLogs };
}
