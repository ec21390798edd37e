import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { all, estate, only } from './fixtures';
import { MAX_BULK_REQUEST_BYTES, OPENSEARCH_VERSION, logShipperBundleDir, zoneCountFor } from '../../../src/infra';

// Synthesizing the whole estate (and running cdk-nag over it) takes seconds on a busy CI machine.
jest.setTimeout(120_000);

describe('logs stack (the ELK role)', () => {
  const e = estate();

  test('OpenSearch: VPC-only in the private subnets, zone aware over both AZs, encrypted, node-to-node, HTTPS only, FGAC', () => {
    const domain = only(e.logs, 'AWS::OpenSearchService::Domain');
    expect(domain.Properties).toMatchObject({
      DomainName: 'flask-app-production',
      EngineVersion: OPENSEARCH_VERSION.version,
      ClusterConfig: {
        InstanceCount: 2,
        InstanceType: 't3.small.search',
        ZoneAwarenessEnabled: true,
        ZoneAwarenessConfig: { AvailabilityZoneCount: 2 },
      },
      EBSOptions: { EBSEnabled: true, VolumeSize: 20, VolumeType: 'gp3' },
      EncryptionAtRestOptions: { Enabled: true },
      NodeToNodeEncryptionOptions: { Enabled: true },
      DomainEndpointOptions: { EnforceHTTPS: true, TLSSecurityPolicy: 'Policy-Min-TLS-1-2-2019-07' },
      AdvancedSecurityOptions: { Enabled: true, InternalUserDatabaseEnabled: false, MasterUserOptions: { MasterUserARN: expect.anything() } },
    });
    expect(JSON.stringify(domain.Properties.VPCOptions.SubnetIds)).toMatch(/PrivateSubnetA.*PrivateSubnetB/);
    expect(Object.keys(domain.Properties.LogPublishingOptions).sort()).toEqual(['AUDIT_LOGS', 'ES_APPLICATION_LOGS', 'INDEX_SLOW_LOGS', 'SEARCH_SLOW_LOGS']);
    // RetainExceptOnCreate: a failed first create removes the fixed-name domain, so a retry can create it again.
    expect(domain.DeletionPolicy).toBe('RetainExceptOnCreate');
    expect(domain.Properties.ClusterConfig.DedicatedMasterEnabled).not.toBe(true);
  });

  test('a failed first create leaves nothing that blocks a retry: log groups are CloudFormation-named and RetainExceptOnCreate', () => {
    const groups = all(e.logs, 'AWS::Logs::LogGroup');
    expect(groups).toHaveLength(6);
    for (const g of groups) {
      expect(g.Properties.LogGroupName).toBeUndefined();
      expect(g.DeletionPolicy).toBe('RetainExceptOnCreate');
    }
    expect(only(e.logs, 'AWS::SQS::Queue').DeletionPolicy).toBe('RetainExceptOnCreate');
  });

  test('the domain waits for its log resource policy; the service-linked role only when asked', () => {
    const domainId = Object.keys(e.logs.findResources('AWS::OpenSearchService::Domain'))[0];
    const policyId = Object.keys(e.logs.findResources('AWS::Logs::ResourcePolicy'))[0];
    const domain = e.logs.toJSON().Resources[domainId];
    expect(domain.DependsOn).toContain(policyId);
    expect(Object.keys(e.logs.findResources('AWS::IAM::ServiceLinkedRole'))).toEqual([]);

    const withRole = estate({ logs: { createServiceLinkedRole: true } });
    const [roleId, role] = Object.entries(withRole.logs.findResources('AWS::IAM::ServiceLinkedRole'))[0];
    expect(role.Properties.AWSServiceName).toBe('opensearchservice.amazonaws.com');
    const withRoleDomain = Object.values(withRole.logs.findResources('AWS::OpenSearchService::Domain'))[0] as { DependsOn: string[] };
    expect(withRoleDomain.DependsOn).toContain(roleId);
  });

  test("AWS's recommended alarms on the domain, to the service's alarm topic", () => {
    const alarms = all(e.logs, 'AWS::CloudWatch::Alarm');
    const byMetric = Object.fromEntries(alarms.map((a) => [a.Properties.MetricName, a.Properties]));
    expect(Object.keys(byMetric).sort()).toEqual(['ClusterIndexWritesBlocked', 'ClusterStatus.red', 'FreeStorageSpace', 'JVMMemoryPressure']);
    expect(byMetric['ClusterStatus.red']).toMatchObject({ Statistic: 'Maximum', Period: 60, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    // 25% of the 20 GiB volume, in MiB.
    expect(byMetric.FreeStorageSpace).toMatchObject({ Statistic: 'Minimum', Threshold: 5120, ComparisonOperator: 'LessThanOrEqualToThreshold' });
    expect(byMetric.ClusterIndexWritesBlocked).toMatchObject({ Period: 300, EvaluationPeriods: 1, Threshold: 1 });
    expect(byMetric.JVMMemoryPressure).toMatchObject({ Period: 60, EvaluationPeriods: 3, Threshold: 95 });
    for (const a of alarms) expect(JSON.stringify(a.Properties.AlarmActions)).toMatch(/:sns:eu-west-1:.*:flask-app-production-alarms/);
  });

  test('the access policy names the shipper role on this domain only; no custom-resource Lambda sets it', () => {
    const domain = only(e.logs, 'AWS::OpenSearchService::Domain');
    const [statement] = domain.Properties.AccessPolicies.Statement;
    expect(statement.Principal.AWS).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^LogShipperRole/), 'Arn'] });
    expect(JSON.stringify(statement.Resource)).toMatch(/:domain\/flask-app-production\/\*/);
    // The shipper and the domain setup function; no CDK custom-resource framework Lambda.
    const functions = all(e.logs, 'AWS::Lambda::Function');
    expect(functions.map((f) => f.Properties.Handler).sort()).toEqual(['index.handler', 'index.setup']);
    // Only this account's CloudWatch Logs may invoke the shipper.
    expect(only(e.logs, 'AWS::Lambda::Permission').Properties).toMatchObject({ Principal: 'logs.amazonaws.com', SourceAccount: { Ref: 'AWS::AccountId' } });
  });

  test('the shipper: latest Node runtime, in the private subnets, configured for the domain, with a dead-letter queue', () => {
    const fn = all(e.logs, 'AWS::Lambda::Function').find((f) => f.Properties.Handler === 'index.handler')!;
    expect(fn.Properties).toMatchObject({ FunctionName: 'flask-app-production-log-shipper', Runtime: 'nodejs24.x', Handler: 'index.handler' });
    expect(fn.Properties.Environment.Variables).toMatchObject({ INDEX_PREFIX: 'flask-app', MAX_REQUEST_BYTES: String(MAX_BULK_REQUEST_BYTES) });
    expect(JSON.stringify(fn.Properties.Environment.Variables.OPENSEARCH_URL)).toMatch(/https:\/\/.*DomainEndpoint/);
    expect(JSON.stringify(fn.Properties.VpcConfig.SubnetIds)).toMatch(/PrivateSubnetA.*PrivateSubnetB/);
    expect(fn.Properties.DeadLetterConfig.TargetArn).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/DeadLetterQueue/), 'Arn'] });
    expect(only(e.logs, 'AWS::SQS::Queue').Properties).toMatchObject({ SqsManagedSseEnabled: true });
  });

  test('the shipper reaches OpenSearch on 443 and nothing else; operators reach it on 443 from the private subnets (SSM port forwarding)', () => {
    const egress = all(e.logs, 'AWS::EC2::SecurityGroupEgress');
    expect(egress.map((r) => [r.Properties.FromPort, r.Properties.ToPort])).toEqual([[443, 443]]);
    // From the shipper and from the setup function.
    const ingress = all(e.logs, 'AWS::EC2::SecurityGroupIngress');
    expect(ingress.map((r) => [r.Properties.FromPort, r.Properties.ToPort])).toEqual([[443, 443], [443, 443]]);
    // The setup function also answers CloudFormation at its pre-signed S3 URL (S3 gateway endpoint or NAT).
    const setupSg = Object.values(e.logs.findResources('AWS::EC2::SecurityGroup')).find((g: any) => String(g.Properties.GroupDescription).includes('domain setup')) as any;
    expect(setupSg.Properties.SecurityGroupEgress).toEqual([expect.objectContaining({ CidrIp: '0.0.0.0/0', FromPort: 443, ToPort: 443, IpProtocol: 'tcp' })]);
    const domainSg = Object.values(e.logs.findResources('AWS::EC2::SecurityGroup')).find((g: any) => String(g.Properties.GroupDescription).includes('flask-app-production: HTTPS')) as any;
    expect(domainSg.Properties.SecurityGroupIngress.map((r: any) => [r.CidrIp, r.FromPort])).toEqual([['192.168.2.0/24', 443], ['192.168.3.0/24', 443]]);
  });

  test('operators: a CloudFormation-named readers role, allowed to read in the access policy and mapped read-only by the setup resource', () => {
    const roles = Object.entries(e.logs.findResources('AWS::IAM::Role')).filter(([id]) => id.startsWith('LogReaders'));
    expect(roles).toHaveLength(1);
    const [readerId, reader] = roles[0] as [string, any];
    expect(reader.Properties.RoleName).toBeUndefined();
    expect(JSON.stringify(reader.Properties.AssumeRolePolicyDocument)).toMatch(/:root/);
    const statements = only(e.logs, 'AWS::OpenSearchService::Domain').Properties.AccessPolicies.Statement;
    const readers = statements.find((st: any) => JSON.stringify(st.Principal).includes(readerId));
    expect([...readers.Action].sort()).toEqual(['es:ESHttpGet', 'es:ESHttpHead', 'es:ESHttpPost']);
    const setup = only(e.logs, 'Custom::OpenSearchDomainSetup');
    expect(setup.Properties).toMatchObject({ IndexPrefix: 'flask-app', RetentionDays: '30', ReaderRoleArns: [{ 'Fn::GetAtt': [readerId, 'Arn'] }] });
    expect(e.logs.toJSON().Outputs.LogReadersRoleArn.Export.Name).toBe('flask-app-production-logs-LogReadersRoleArn');
  });

  test('subscribed to the service log group, every event', () => {
    const filter = only(e.logs, 'AWS::Logs::SubscriptionFilter');
    expect(filter.Properties).toMatchObject({ FilterPattern: '', FilterName: 'flask-app-production-log-shipper' });
    expect(JSON.stringify(filter.Properties.LogGroupName)).toMatch(/AppLogs/);
  });

  test('the bundle is a single self-contained CommonJS file exporting the handler', () => {
    const dir = logShipperBundleDir();
    const code = readFileSync(join(dir, 'index.js'), 'utf8');
    expect(existsSync(join(dir, 'index.js'))).toBe(true);
    expect(code).not.toMatch(/require\("@smithy/);
    const mod = { exports: {} as Record<string, unknown> };
    new Function('module', 'exports', 'require', code)(mod, mod.exports, require);
    expect(typeof mod.exports.handler).toBe('function');
    expect(typeof mod.exports.setup).toBe('function');
  });
});

describe('protected sizing (AWS OpenSearch guidance)', () => {
  test('a protected environment gets three dedicated masters and four zone-aware m7g data nodes over two AZs', () => {
    const e = estate({ container: { certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc' } });
    expect(e.spec.protectedEnvironment).toBe(true);
    expect(only(e.logs, 'AWS::OpenSearchService::Domain').Properties.ClusterConfig).toMatchObject({
      InstanceCount: 4,
      InstanceType: 'm7g.large.search',
      DedicatedMasterEnabled: true,
      DedicatedMasterCount: 3,
      DedicatedMasterType: 'm7g.large.search',
      ZoneAwarenessEnabled: true,
    });
    expect(all(e.logs, 'AWS::CloudWatch::Alarm').map((a) => a.Properties.MetricName)).toContain('MasterJVMMemoryPressure');
  });
});

describe('zone awareness from the spec', () => {
  test('two or three zones, whichever divides the nodes evenly', () => {
    expect(zoneCountFor(2, 2)).toBe(2);
    expect(zoneCountFor(3, 3)).toBe(3);
    expect(zoneCountFor(3, 6)).toBe(3);
    expect(zoneCountFor(4, 4)).toBe(2);
    expect(() => zoneCountFor(3, 5)).toThrow(/multiple of 2 or 3/);
  });

  test('three AZs and three nodes give a three-zone domain', () => {
    const e = estate(
      { logs: { openSearchDataNodes: 3 } },
      { availabilityZones: 3, publicSubnets: ['192.168.0.0/24', '192.168.1.0/24', '192.168.4.0/24'], privateSubnets: ['192.168.2.0/24', '192.168.3.0/24', '192.168.5.0/24'] },
    );
    expect(only(e.logs, 'AWS::OpenSearchService::Domain').Properties.ClusterConfig).toMatchObject({
      InstanceCount: 3,
      ZoneAwarenessConfig: { AvailabilityZoneCount: 3 },
    });
  });
});
