import { EKS_NETWORK, all, estate, only } from './fixtures';
import { THRESHOLDS } from '../../../src/infra';

// Synthesizing the whole estate (and running cdk-nag over it) takes seconds on a busy CI machine.
jest.setTimeout(120_000);

const byJson = (a: unknown, b: unknown) => JSON.stringify(a).localeCompare(JSON.stringify(b));
const alarmNames = (e: ReturnType<typeof estate>) => all(e.observability, 'AWS::CloudWatch::Alarm').map((a) => a.Properties.AlarmName).sort();

describe('observability stack', () => {
  const e = estate({ alarms: { email: 'ops@example.com' } });

  test('an encrypted, TLS-only alarm topic named from the spec, with the email subscribed', () => {
    const topic = only(e.observability, 'AWS::SNS::Topic');
    expect(topic.Properties.TopicName).toBe('flask-app-production-alarms');
    expect(topic.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/TopicKey/), 'Arn'] });
    expect(only(e.observability, 'AWS::KMS::Key').Properties.EnableKeyRotation).toBe(true);
    expect(only(e.observability, 'AWS::SNS::Subscription').Properties).toMatchObject({ Protocol: 'email', Endpoint: 'ops@example.com' });
    const policy = only(e.observability, 'AWS::SNS::TopicPolicy');
    expect(JSON.stringify(policy.Properties.PolicyDocument)).toMatch(/aws:SecureTransport/);
  });

  test('CloudWatch may publish to the topic and use its key, for the estate\'s alarms in this account only', () => {
    // enforceSSL's policy replaces SNS's default one; without this Allow no alarm would reach anyone. Every alarm that
    // notifies the topic must be admitted, the logs stack's OpenSearch alarms (which name the topic by ARN) included.
    const logsAlarms = all(e.logs, 'AWS::CloudWatch::Alarm');
    expect(logsAlarms.length).toBeGreaterThan(0);
    for (const alarm of logsAlarms) expect(JSON.stringify(alarm.Properties.AlarmActions)).toMatch(/:flask-app-production-alarms"/);
    const alarmArns = [...alarmNames(e), ...logsAlarms.map((a) => a.Properties.AlarmName as string)]
      .map((name) => ({ 'Fn::Join': ['', ['arn:aws:cloudwatch:eu-west-1:', { Ref: 'AWS::AccountId' }, `:alarm:${name}`]] }))
      .sort(byJson);
    const scoped = (statement: { Condition?: { ArnEquals?: Record<string, unknown[]>; StringEquals?: Record<string, unknown> } }) => {
      expect([...(statement.Condition?.ArnEquals?.['aws:SourceArn'] ?? [])].sort(byJson)).toEqual(alarmArns);
      expect(statement.Condition?.StringEquals?.['aws:SourceAccount']).toEqual({ Ref: 'AWS::AccountId' });
    };
    const topicStatements = only(e.observability, 'AWS::SNS::TopicPolicy').Properties.PolicyDocument.Statement as any[];
    const publish = topicStatements.find((st) => st.Effect === 'Allow' && st.Principal?.Service === 'cloudwatch.amazonaws.com');
    expect(publish).toMatchObject({ Action: 'sns:Publish', Resource: { Ref: expect.stringMatching(/AlarmTopic/) } });
    scoped(publish);
    const keyStatements = only(e.observability, 'AWS::KMS::Key').Properties.KeyPolicy.Statement as any[];
    const encrypt = keyStatements.filter((st) => st.Principal?.Service === 'cloudwatch.amazonaws.com');
    expect(encrypt).toHaveLength(1);
    expect(encrypt[0].Action).toEqual(['kms:Decrypt', 'kms:GenerateDataKey*']);
    scoped(encrypt[0]);
  });

  test('alarms on ALB 5xx, p99, ECS CPU and memory, each host CPU, DynamoDB throttles, shipper errors and dead letters, all to the topic', () => {
    expect(alarmNames(e)).toEqual([
      'flask-app-production-dynamodb-throttles', 'flask-app-production-elb-5xx', 'flask-app-production-host-1-cpu', 'flask-app-production-host-2-cpu', 'flask-app-production-log-shipper-dead-letters', 'flask-app-production-log-shipper-errors',
      'flask-app-production-p99-latency', 'flask-app-production-service-cpu', 'flask-app-production-service-memory', 'flask-app-production-target-5xx',
    ]);
    for (const alarm of all(e.observability, 'AWS::CloudWatch::Alarm')) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: expect.stringMatching(/AlarmTopic/) }]);
      expect(alarm.Properties.TreatMissingData).toBe('notBreaching');
    }
    const p99 = all(e.observability, 'AWS::CloudWatch::Alarm').find((a) => a.Properties.AlarmName === 'flask-app-production-p99-latency')!;
    expect(p99.Properties).toMatchObject({ ExtendedStatistic: 'p99', Threshold: THRESHOLDS.p99LatencySeconds, MetricName: 'TargetResponseTime' });
  });

  test('the dashboard shows requests, 5xx, p99, service CPU/memory, host CPU, DynamoDB throttles', () => {
    const dashboard = only(e.observability, 'AWS::CloudWatch::Dashboard');
    // Dashboards are account-global: the region keeps a second region's dashboard apart.
    expect(dashboard.Properties.DashboardName).toBe('flask-app-production-eu-west-1');
    const body = JSON.stringify(dashboard.Properties.DashboardBody);
    for (const metric of ['RequestCount', 'HTTPCode_Target_5XX_Count', 'HTTPCode_ELB_5XX_Count', 'TargetResponseTime', 'CPUUtilization', 'MemoryUtilization', 'ReadThrottleEvents', 'WriteThrottleEvents']) {
      expect(body).toContain(metric);
    }
    expect(body).toContain('p99');
  });
});

describe('observability follows the spec', () => {
  test('Aurora: a connections alarm instead of throttles; no hosts: no host alarms; EKS: no ECS alarms', () => {
    const e = estate({ database: 'aurora-postgresql', platform: 'eks', hosts: { count: 0 }, protectedEnvironment: false, alarms: undefined }, EKS_NETWORK);
    const names = alarmNames(e);
    expect(names).toContain('flask-app-production-aurora-connections');
    expect(names.filter((n) => /dynamodb|host-|service-/.test(n))).toEqual([]);
    expect(JSON.stringify(only(e.observability, 'AWS::CloudWatch::Dashboard').Properties.DashboardBody)).toContain('DatabaseConnections');
    e.observability.resourceCountIs('AWS::SNS::Subscription', 0);
  });
});
