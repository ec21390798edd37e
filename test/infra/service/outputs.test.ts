/**
 * The outputs other parts read (README, workflow variables, the summary):
 * their export names are `<stack>-<id>` and must not change silently.
 */
import { EKS_NETWORK, estate } from './fixtures';

// Synthesizing the whole estate (and running cdk-nag over it) takes seconds on a busy CI machine.
jest.setTimeout(120_000);

const exportsOf = (template: { toJSON(): { Outputs?: Record<string, { Export?: { Name: string } }> } }) =>
  Object.values(template.toJSON().Outputs ?? {})
    .map((o) => o.Export?.Name)
    // CDK's own cross-stack exports ('<stack>:ExportsOutput…') are internal wiring, not outputs anyone reads.
    .filter((n): n is string => n !== undefined && !n.includes(':ExportsOutput'))
    .sort();

describe('stable outputs of the service stacks', () => {
  test('the seed (ECS, DynamoDB)', () => {
    const e = estate();
    expect(exportsOf(e.platform)).toEqual([
      'flask-app-production-platform-AppLogGroupName', 'flask-app-production-platform-ClusterName', 'flask-app-production-platform-LoadBalancerDnsName',
      'flask-app-production-platform-RepositoryName', 'flask-app-production-platform-RepositoryUri', 'flask-app-production-platform-ServiceName',
    ]);
    expect(exportsOf(e.data)).toEqual(['flask-app-production-data-BucketName', 'flask-app-production-data-TableName']);
    expect(exportsOf(e.logs)).toEqual([
      'flask-app-production-logs-LogReadersRoleArn', 'flask-app-production-logs-LogShipperDeadLetterQueueName', 'flask-app-production-logs-LogShipperFunctionName', 'flask-app-production-logs-OpenSearchDomainName', 'flask-app-production-logs-OpenSearchEndpoint',
    ]);
    expect(exportsOf(e.observability)).toEqual(['flask-app-production-observability-AlarmTopicArn', 'flask-app-production-observability-DashboardName']);
    expect(exportsOf(e.delivery)).toEqual([
      'flask-app-production-delivery-PipelineArn', 'flask-app-production-delivery-PipelineName', 'flask-app-production-delivery-SourceBucketName', 'flask-app-production-delivery-SourceObjectKey',
    ]);
  });

  test('EKS and Aurora swap the service and database outputs', () => {
    const e = estate({ platform: 'eks', database: 'aurora-postgresql' }, EKS_NETWORK);
    expect(exportsOf(e.platform)).toContain('flask-app-production-platform-PodRoleArn');
    expect(exportsOf(e.platform)).not.toContain('flask-app-production-platform-ServiceName');
    expect(exportsOf(e.data)).toEqual(['flask-app-production-data-BucketName', 'flask-app-production-data-DatabaseEndpoint', 'flask-app-production-data-DatabaseSecretArn']);
  });
});
