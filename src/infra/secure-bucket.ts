/**
 * The one way Slipway makes an S3 bucket: public access blocked, TLS only,
 * S3-managed encryption, versioned (unless its objects are transient) with
 * old versions expiring, retained on update and delete, and (unless it is itself the log target)
 * server access logs to a log bucket.
 */
import { Duration, aws_s3 as s3 } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { acknowledge } from './acknowledge';
import { guardRule } from './policy-validation';
import { RETAINED } from './retained';

/**
 * Days an overwritten or deleted object's old version is kept in a versioned bucket that sets
 * no expiry of its own: long enough to undo a mistake, short enough that versions do not pile
 * up unbilled-for-ever (the cfn-guard S3 lifecycle control fails a versioned bucket without one).
 */
export const NONCURRENT_VERSION_DAYS = 90;

export interface SecureBucketProps {
  /** A fixed name; most buckets let CloudFormation name them. @default - generated */
  readonly bucketName?: string;
  /** Where server access logs go; omit only for the access-log bucket itself. */
  readonly accessLogs?: { readonly bucket: s3.IBucket; readonly prefix: string };
  /** Object lifecycle; log buckets expire old logs. @default - keep objects */
  readonly expireAfterDays?: number;
  /** Keep old versions; only buckets of transient objects turn this off. @default true */
  readonly versioned?: boolean;
}

export function secureBucket(scope: Construct, id: string, props: SecureBucketProps = {}): s3.Bucket {
  const versioned = props.versioned ?? true;
  const bucket = new s3.Bucket(scope, id, {
    ...(props.bucketName ? { bucketName: props.bucketName } : {}),
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    versioned,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    removalPolicy: RETAINED,
    ...(props.accessLogs ? { serverAccessLogsBucket: props.accessLogs.bucket, serverAccessLogsPrefix: props.accessLogs.prefix } : {}),
    lifecycleRules: lifecycleRules(versioned, props.expireAfterDays),
  });
  const logTargetReason = 'This bucket is the server access log target; logging a log bucket into itself would loop, and S3 does not allow chaining into another log bucket here.';
  if (!props.accessLogs) {
    acknowledge(bucket, { id: 'AwsSolutions-S1', reason: logTargetReason }, { id: guardRule('s3_bucket_logging_enabled_check'), reason: logTargetReason });
  }
  if (!versioned) {
    acknowledge(bucket, {
      id: guardRule('s3_bucket_versioning_enabled_check'),
      reason: 'Its objects are transient (each is written, read once and deleted); old versions would only keep copies of files nobody reads again.',
    });
  }
  acknowledge(bucket, {
    id: guardRule('s3_bucket_default_encryption_kms_check'),
    reason: 'SSE-S3 encrypts every object; ALB access logs support only SSE-S3, and a KMS key would add key-policy coupling without narrowing access (public access blocked, TLS only).',
  }, {
    id: guardRule('s3_bucket_object_lock_enabled_check'),
    reason: 'Object Lock (WORM) would keep objects past their lifecycle expiry and block deleting a failed stack; versioning and retention on delete already protect the data.',
  }, {
    id: guardRule('s3_event_notifications_enabled_check'),
    reason: 'Nothing consumes events from this bucket (the pipeline is started by our bridge action, not by S3 events); notifications would have no subscriber.',
  });
  return bucket;
}

/** Expire objects after `expireAfterDays` when set; in a versioned bucket, always expire old versions. */
function lifecycleRules(versioned: boolean, expireAfterDays: number | undefined): s3.LifecycleRule[] | undefined {
  const rule: s3.LifecycleRule = {
    ...(expireAfterDays ? { expiration: Duration.days(expireAfterDays) } : {}),
    ...(versioned ? { noncurrentVersionExpiration: Duration.days(expireAfterDays ?? NONCURRENT_VERSION_DAYS) } : {}),
  };
  return Object.keys(rule).length > 0 ? [rule] : undefined;
}

/** A bucket that receives server access logs (and ALB logs) for one stack. */
export function accessLogBucket(scope: Construct, id: string, retentionDays: number): s3.Bucket {
  return secureBucket(scope, id, { expireAfterDays: retentionDays });
}
