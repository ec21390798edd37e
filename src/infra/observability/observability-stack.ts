/**
 * The metrics lifecycle: one CloudWatch dashboard for the service and
 * alarms on the same metrics, published to an encrypted SNS topic (with an
 * email subscription when spec.alarms.email is set).
 */
import { ArnFormat, Duration, Stack, StackProps, aws_cloudwatch as cloudwatch, aws_cloudwatch_actions as actions, aws_dynamodb as dynamodb, aws_ecs as ecs, aws_elasticloadbalancingv2 as elbv2, aws_iam as iam, aws_kms as kms, aws_lambda as lambda, aws_rds as rds, aws_sns as sns, aws_sns_subscriptions as subscriptions, aws_sqs as sqs } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { ServiceSpec } from '../../spec';
import { denyGrantsOutsideAwsServices } from '../key-policies';
import { domainAlarmNames } from '../logging/domain-alarms';
import { stableOutput } from '../outputs';
import { RETAINED } from '../retained';
import { AlarmRule, PERIOD, THRESHOLDS } from './alarm-catalog';
import { useServiceFeatureFlags } from '../feature-flags';

export interface ObservedResources {
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  /** ECS: the Fargate service. */
  readonly ecsService?: ecs.FargateService;
  /** EKS: the cluster name (pod metrics from Container Insights). */
  readonly eksClusterName?: string;
  readonly hostInstanceIds: readonly string[];
  readonly table?: dynamodb.ITable;
  readonly database?: rds.IDatabaseCluster;
  readonly logShipper?: lambda.IFunction;
  readonly logShipperDeadLetterQueue?: sqs.IQueue;
}

export interface ObservabilityStackProps extends StackProps {
  readonly spec: ServiceSpec;
  readonly observed: ObservedResources;
}

export class ObservabilityStack extends Stack {
  readonly topic: sns.Topic;
  readonly dashboard: cloudwatch.Dashboard;
  readonly alarms: cloudwatch.Alarm[] = [];
  private readonly alarmNames: string[] = [];

  constructor(scope: Construct, id: string, props: ObservabilityStackProps) {
    super(scope, id, props);
    useServiceFeatureFlags(this);
    const { spec, observed } = props;

    const key = new kms.Key(this, 'TopicKey', {
      description: `${spec.names.alarmTopic} SNS encryption`,
      enableKeyRotation: true,
      removalPolicy: RETAINED,
    });
    // Control Tower CT.KMS.PR.3: only AWS services create grants on the key.
    denyGrantsOutsideAwsServices(key);
    // CloudWatch may use the key for this topic only: see the scoped AlarmsEncryptForTopic statement below.
    this.topic = new sns.Topic(this, 'AlarmTopic', { topicName: spec.names.alarmTopic, masterKey: key, enforceSSL: true });
    if (spec.alarms.email) this.topic.addSubscription(new subscriptions.EmailSubscription(spec.alarms.email));

    const m = metricsOf(observed);
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { dashboardName: spec.names.dashboard, defaultInterval: Duration.hours(3) });
    const rows: [string, cloudwatch.IMetric[]][][] = [
      [['Requests', [m.requests]], ['5xx (target and load balancer)', [m.target5xx, m.elb5xx]], ['p99 response time (s)', [m.p99]]],
      [['Service CPU (%)', m.serviceCpu], ['Service memory (%)', m.serviceMemory], ['Host CPU (%)', m.hostCpu]],
      [[observed.table ? 'DynamoDB throttled requests' : 'Aurora connections', m.database], ['Log shipper errors and dead letters', [m.shipperErrors, m.deadLetters].filter((x): x is cloudwatch.IMetric => x !== undefined)]],
    ];
    // A graph with nothing to draw (no hosts, no database) is left out rather than shown empty.
    for (const row of rows) {
      const widgets = row.filter(([, metrics]) => metrics.length > 0).map(([title, metrics]) => graph(title, metrics));
      if (widgets.length > 0) this.dashboard.addWidgets(...widgets);
    }

    for (const rule of alarmRules(observed, m)) {
      const alarmName = `${spec.names.alarmPrefix}-${rule.id}`;
      const alarm = new cloudwatch.Alarm(this, `Alarm${rule.id.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase())}`, {
        alarmName,
        alarmDescription: rule.description,
        metric: rule.metric,
        threshold: rule.threshold,
        evaluationPeriods: rule.evaluationPeriods,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(new actions.SnsAction(this.topic));
      alarm.addOkAction(new actions.SnsAction(this.topic));
      this.alarms.push(alarm);
      this.alarmNames.push(alarmName);
    }
    this.allowAlarmsToPublish(key, spec);

    stableOutput(this, 'AlarmTopicArn', this.topic.topicArn, `${spec.names.alarmTopic} SNS topic`);
    stableOutput(this, 'DashboardName', spec.names.dashboard, 'CloudWatch dashboard of the service');
  }

  /**
   * enforceSSL gives the topic a policy holding only its Deny, and a topic policy replaces SNS's
   * default one, so CloudWatch may publish only if a statement says so; the key must let it encrypt too.
   * Both are scoped to this stack's alarms and account (the confused-deputy conditions AWS documents):
   * https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html and
   * https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
   */
  private allowAlarmsToPublish(key: kms.Key, spec: ServiceSpec): void {
    if (this.alarms.length === 0) return;
    const alarmsService = new iam.ServicePrincipal('cloudwatch.amazonaws.com');
    // ARNs built from the alarms' fixed names: their GetAtt would make key → alarm → topic → key a cycle.
    // The logs stack's OpenSearch alarms notify this topic too (by its ARN), so their names are listed as well.
    const alarmArns = [...this.alarmNames, ...domainAlarmNames(spec)].map((alarmName) =>
      this.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: alarmName, arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
    );
    const conditions = {
      ArnEquals: { 'aws:SourceArn': alarmArns },
      StringEquals: { 'aws:SourceAccount': this.account },
    };
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({ sid: 'AlarmsPublish', principals: [alarmsService], actions: ['sns:Publish'], resources: [this.topic.topicArn], conditions }),
    );
    key.addToResourcePolicy(
      new iam.PolicyStatement({ sid: 'AlarmsEncryptForTopic', principals: [alarmsService], actions: ['kms:Decrypt', 'kms:GenerateDataKey*'], resources: ['*'], conditions }),
    );
  }
}

interface ServiceMetrics {
  readonly requests: cloudwatch.IMetric;
  readonly target5xx: cloudwatch.IMetric;
  readonly elb5xx: cloudwatch.IMetric;
  readonly p99: cloudwatch.IMetric;
  readonly serviceCpu: cloudwatch.IMetric[];
  readonly serviceMemory: cloudwatch.IMetric[];
  readonly hostCpu: cloudwatch.IMetric[];
  readonly database: cloudwatch.IMetric[];
  readonly shipperErrors?: cloudwatch.IMetric;
  readonly deadLetters?: cloudwatch.IMetric;
}

function metricsOf(o: ObservedResources): ServiceMetrics {
  const alb = o.loadBalancer.metrics;
  const period = { period: PERIOD };
  const podMetric = (name: string) =>
    new cloudwatch.Metric({ namespace: 'ContainerInsights', metricName: name, dimensionsMap: { ClusterName: o.eksClusterName ?? '' }, ...period, statistic: 'Average' });
  const dynamoThrottles = o.table
    ? [new cloudwatch.MathExpression({
      label: 'throttled reads + writes',
      expression: 'FILL(r, 0) + FILL(w, 0)',
      usingMetrics: {
        r: o.table.metric('ReadThrottleEvents', { ...period, statistic: 'Sum' }),
        w: o.table.metric('WriteThrottleEvents', { ...period, statistic: 'Sum' }),
      },
      period: PERIOD,
    })]
    : [];
  return {
    requests: alb.requestCount({ ...period, statistic: 'Sum' }),
    target5xx: alb.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { ...period, statistic: 'Sum' }),
    elb5xx: alb.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, { ...period, statistic: 'Sum' }),
    p99: alb.targetResponseTime({ ...period, statistic: 'p99' }),
    serviceCpu: o.ecsService ? [o.ecsService.metricCpuUtilization(period)] : o.eksClusterName ? [podMetric('pod_cpu_utilization')] : [],
    serviceMemory: o.ecsService ? [o.ecsService.metricMemoryUtilization(period)] : o.eksClusterName ? [podMetric('pod_memory_utilization')] : [],
    hostCpu: o.hostInstanceIds.map(
      (id) => new cloudwatch.Metric({ namespace: 'AWS/EC2', metricName: 'CPUUtilization', dimensionsMap: { InstanceId: id }, ...period, statistic: 'Average' }),
    ),
    database: o.table ? dynamoThrottles : o.database ? [o.database.metricDatabaseConnections({ ...period, statistic: 'Maximum' })] : [],
    ...(o.logShipper ? { shipperErrors: o.logShipper.metricErrors({ ...period, statistic: 'Sum' }) } : {}),
    ...(o.logShipperDeadLetterQueue
      ? { deadLetters: o.logShipperDeadLetterQueue.metricApproximateNumberOfMessagesVisible({ ...period, statistic: 'Maximum' }) }
      : {}),
  };
}

/** Every alarm for the resources that exist; pure over the metrics. */
export function alarmRules(o: ObservedResources, m: ServiceMetrics = metricsOf(o)): AlarmRule[] {
  const rules: AlarmRule[] = [
    { id: 'target-5xx', metric: m.target5xx, threshold: THRESHOLDS.target5xxPerMinute, evaluationPeriods: 3, description: `The service answered ≥ ${THRESHOLDS.target5xxPerMinute} 5xx per minute for 3 minutes` },
    { id: 'elb-5xx', metric: m.elb5xx, threshold: THRESHOLDS.elb5xxPerMinute, evaluationPeriods: 3, description: `The load balancer returned ≥ ${THRESHOLDS.elb5xxPerMinute} 5xx per minute for 3 minutes (no healthy targets?)` },
    { id: 'p99-latency', metric: m.p99, threshold: THRESHOLDS.p99LatencySeconds, evaluationPeriods: 5, description: `p99 response time ≥ ${THRESHOLDS.p99LatencySeconds} s for 5 minutes` },
  ];
  if (o.ecsService) {
    rules.push(
      { id: 'service-cpu', metric: m.serviceCpu[0], threshold: THRESHOLDS.servicePercent, evaluationPeriods: 5, description: `Service CPU ≥ ${THRESHOLDS.servicePercent}% for 5 minutes despite autoscaling` },
      { id: 'service-memory', metric: m.serviceMemory[0], threshold: THRESHOLDS.servicePercent, evaluationPeriods: 5, description: `Service memory ≥ ${THRESHOLDS.servicePercent}% for 5 minutes` },
    );
  }
  m.hostCpu.forEach((metric, i) =>
    rules.push({ id: `host-${i + 1}-cpu`, metric, threshold: THRESHOLDS.hostCpuPercent, evaluationPeriods: 5, description: `Host ${i + 1} CPU ≥ ${THRESHOLDS.hostCpuPercent}% for 5 minutes` }),
  );
  if (o.table) {
    rules.push({ id: 'dynamodb-throttles', metric: m.database[0], threshold: THRESHOLDS.dynamoThrottlesPerMinute, evaluationPeriods: 3, description: 'DynamoDB throttled requests for 3 minutes' });
  } else if (o.database) {
    rules.push({ id: 'aurora-connections', metric: m.database[0], threshold: THRESHOLDS.auroraConnections, evaluationPeriods: 5, description: `Aurora connections ≥ ${THRESHOLDS.auroraConnections} for 5 minutes` });
  }
  if (m.shipperErrors) {
    rules.push({ id: 'log-shipper-errors', metric: m.shipperErrors, threshold: THRESHOLDS.shipperErrorsPerMinute, evaluationPeriods: 5, description: 'The log shipper failed invocations for 5 minutes; logs are not reaching OpenSearch' });
  }
  if (m.deadLetters) {
    rules.push({
      id: 'log-shipper-dead-letters',
      metric: m.deadLetters,
      threshold: THRESHOLDS.deadLetters,
      evaluationPeriods: 1,
      description: 'Log batches the shipper could not store are waiting in its dead-letter queue; read them for the failed documents and reasons',
    });
  }
  return rules;
}

function graph(title: string, metrics: cloudwatch.IMetric[]): cloudwatch.GraphWidget {
  return new cloudwatch.GraphWidget({ title, left: metrics, width: 8, height: 6 });
}
