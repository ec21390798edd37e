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
      'flask-app-platform-AppLogGroupName', 'flask-app-platform-ClusterName', 'flask-app-platform-LoadBalancerDnsName',
      'flask-app-platform-RepositoryName', 'flask-app-platform-RepositoryUri', 'flask-app-platform-ServiceName',
    ]);
    expect(exportsOf(e.data)).toEqual(['flask-app-data-BucketName', 'flask-app-data-TableName']);
    expect(exportsOf(e.logs)).toEqual([
      'flask-app-logs-LogReadersRoleArn', 'flask-app-logs-LogShipperDeadLetterQueueName', 'flask-app-logs-LogShipperFunctionName', 'flask-app-logs-OpenSearchDomainName', 'flask-app-logs-OpenSearchEndpoint',
    ]);
    expect(exportsOf(e.observability)).toEqual(['flask-app-observability-AlarmTopicArn', 'flask-app-observability-DashboardName']);
    expect(exportsOf(e.delivery)).toEqual([
      'flask-app-delivery-PipelineArn', 'flask-app-delivery-PipelineName', 'flask-app-delivery-SourceBucketName', 'flask-app-delivery-SourceObjectKey',
    ]);
  });

  test('EKS and Aurora swap the service and database outputs', () => {
    const e = estate({ platform: 'eks', database: 'aurora-postgresql' }, EKS_NETWORK);
    expect(exportsOf(e.platform)).toContain('flask-app-platform-PodRoleArn');
    expect(exportsOf(e.platform)).not.toContain('flask-app-platform-ServiceName');
    expect(exportsOf(e.data)).toEqual(['flask-app-data-BucketName', 'flask-app-data-DatabaseEndpoint', 'flask-app-data-DatabaseSecretArn']);
  });
});
