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
      DomainName: 'flask-app-logs',
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
    expect(Object.keys(domain.Properties.LogPublishingOptions).sort()).toEqual(['ES_APPLICATION_LOGS', 'INDEX_SLOW_LOGS', 'SEARCH_SLOW_LOGS']);
    expect(domain.DeletionPolicy).toBe('Retain');
  });

  test('the access policy names the shipper role on this domain only; no custom-resource Lambda sets it', () => {
    const domain = only(e.logs, 'AWS::OpenSearchService::Domain');
    const [statement] = domain.Properties.AccessPolicies.Statement;
    expect(statement.Principal.AWS).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^LogShipperRole/), 'Arn'] });
    expect(JSON.stringify(statement.Resource)).toMatch(/:domain\/flask-app-logs\/\*/);
    const functions = all(e.logs, 'AWS::Lambda::Function');
    expect(functions).toHaveLength(1);
  });

  test('the shipper: latest Node runtime, in the private subnets, configured for the domain, with a dead-letter queue', () => {
    const fn = only(e.logs, 'AWS::Lambda::Function');
    expect(fn.Properties).toMatchObject({ FunctionName: 'flask-app-log-shipper', Runtime: 'nodejs24.x', Handler: 'index.handler' });
    expect(fn.Properties.Environment.Variables).toMatchObject({ INDEX_PREFIX: 'flask-app', MAX_REQUEST_BYTES: String(MAX_BULK_REQUEST_BYTES) });
    expect(JSON.stringify(fn.Properties.Environment.Variables.OPENSEARCH_URL)).toMatch(/https:\/\/.*DomainEndpoint/);
    expect(JSON.stringify(fn.Properties.VpcConfig.SubnetIds)).toMatch(/PrivateSubnetA.*PrivateSubnetB/);
    expect(fn.Properties.DeadLetterConfig.TargetArn).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/DeadLetterQueue/), 'Arn'] });
    expect(only(e.logs, 'AWS::SQS::Queue').Properties).toMatchObject({ SqsManagedSseEnabled: true });
  });

  test('the shipper reaches OpenSearch on 443 and nothing else', () => {
    const egress = all(e.logs, 'AWS::EC2::SecurityGroupEgress');
    expect(egress.map((r) => [r.Properties.FromPort, r.Properties.ToPort])).toEqual([[443, 443]]);
    const ingress = all(e.logs, 'AWS::EC2::SecurityGroupIngress');
    expect(ingress.map((r) => [r.Properties.FromPort, r.Properties.ToPort])).toEqual([[443, 443]]);
  });

  test('subscribed to the service log group, every event', () => {
    const filter = only(e.logs, 'AWS::Logs::SubscriptionFilter');
    expect(filter.Properties).toMatchObject({ FilterPattern: '', FilterName: 'flask-app-log-shipper' });
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
