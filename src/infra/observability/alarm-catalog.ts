/**
 * The alarms every service gets, as data: what is watched, when it fires and
 * why that threshold. The stack turns each entry into a CloudWatch alarm.
 */
import { Duration, aws_cloudwatch as cloudwatch } from 'aws-cdk-lib';

export interface AlarmRule {
  /** Stable id, also the alarm name suffix: `<service>-<id>`. */
  readonly id: string;
  readonly metric: cloudwatch.IMetric;
  readonly threshold: number;
  readonly evaluationPeriods: number;
  readonly description: string;
}

/** Evaluation period of every metric on the dashboard and in the alarms. */
export const PERIOD = Duration.minutes(1);

export const THRESHOLDS = {
  /** Target 5xx per minute: a few are noise, a sustained handful is an outage. */
  target5xxPerMinute: 5,
  /** Load balancer 5xx per minute (no healthy target, timeouts). */
  elb5xxPerMinute: 5,
  /** p99 response time in seconds. */
  p99LatencySeconds: 2,
  /** Service CPU and memory in percent; autoscaling should act well before. */
  servicePercent: 85,
  /** Host CPU in percent. */
  hostCpuPercent: 85,
  /** DynamoDB throttled requests per minute: on-demand tables should not throttle at all. */
  dynamoThrottlesPerMinute: 1,
  /** Aurora connections: near max_connections of a 0.5–4 ACU cluster. */
  auroraConnections: 400,
  /** Log shipper failed invocations per minute. */
  shipperErrorsPerMinute: 1,
  /** Any message in the shipper's dead-letter queue is a batch of logs OpenSearch never got. */
  deadLetters: 1,
} as const;
