import { all, estate, only } from './fixtures';
import { AURORA_ENGINE_VERSION, BACKUP_RETENTION_DAYS } from '../../../src/infra';

// Synthesizing the whole estate (and running cdk-nag over it) takes seconds on a busy CI machine.
jest.setTimeout(120_000);

const sslOnly = (policy: { Properties: Record<string, any> }) =>
  policy.Properties.PolicyDocument.Statement.some(
    (s: { Effect: string; Condition?: { Bool?: Record<string, string> } }) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false',
  );

describe('data stack with DynamoDB (the seed)', () => {
  const e = estate();

  test('buckets: public access blocked, encrypted, versioned, TLS-only, retained; the data bucket logs to the access-log bucket', () => {
    const buckets = all(e.data, 'AWS::S3::Bucket');
    expect(buckets).toHaveLength(2);
    for (const b of buckets) {
      expect(b.Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(b.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe('AES256');
      expect(b.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
      // RetainExceptOnCreate: kept on update and delete, removed when a failed first create rolls back.
      expect([b.DeletionPolicy, b.UpdateReplacePolicy]).toEqual(['RetainExceptOnCreate', 'Retain']);
      // Versioned buckets expire old versions (the cfn-guard lifecycle control).
      expect(JSON.stringify(b.Properties.LifecycleConfiguration.Rules)).toMatch(/NoncurrentVersionExpiration/);
    }
    const data = buckets.find((b) => b.Properties.LoggingConfiguration)!;
    expect(data.Properties.BucketName).toEqual({ 'Fn::Join': ['', ['flask-app-production-data-', { Ref: 'AWS::AccountId' }, '-eu-west-1']] });
    expect(data.Properties.LoggingConfiguration.LogFilePrefix).toBe('data-bucket/');
    const policies = all(e.data, 'AWS::S3::BucketPolicy');
    expect(policies.length).toBe(2);
    expect(policies.every(sslOnly)).toBe(true);
  });

  test('DynamoDB: named from the spec, on-demand, point-in-time recovery, encrypted, deletion-protected, retained', () => {
    const table = only(e.data, 'AWS::DynamoDB::Table');
    expect(table.Properties).toMatchObject({
      TableName: 'flask-app-production',
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
      DeletionProtectionEnabled: true,
    });
    expect([table.DeletionPolicy, table.UpdateReplacePolicy]).toEqual(['RetainExceptOnCreate', 'Retain']);
    e.data.resourceCountIs('AWS::RDS::DBCluster', 0);
  });

  test('the app learns the bucket and table names through its environment', () => {
    expect(e.stacks.data.appEnvironment).toEqual({ DATA_BUCKET: expect.stringContaining('flask-app-production-data-'), TABLE_NAME: expect.any(String) });
  });
});

describe('data stack with Aurora PostgreSQL', () => {
  const e = estate({ database: 'aurora-postgresql' });

  test('Serverless v2 in the private subnets: encrypted, backups, deletion protection, IAM auth, logs exported, retained', () => {
    const cluster = only(e.data, 'AWS::RDS::DBCluster');
    expect(cluster.Properties).toMatchObject({
      DBClusterIdentifier: 'flask-app-production-db',
      Engine: 'aurora-postgresql',
      EngineVersion: AURORA_ENGINE_VERSION.auroraPostgresFullVersion,
      StorageEncrypted: true,
      DeletionProtection: true,
      BackupRetentionPeriod: BACKUP_RETENTION_DAYS,
      EnableIAMDatabaseAuthentication: true,
      EnableCloudwatchLogsExports: ['postgresql'],
      ServerlessV2ScalingConfiguration: { MinCapacity: 0.5, MaxCapacity: 4 },
    });
    expect([cluster.DeletionPolicy, cluster.UpdateReplacePolicy]).toEqual(['RetainExceptOnCreate', 'Retain']);
    const instances = all(e.data, 'AWS::RDS::DBInstance');
    expect(instances.map((i) => i.Properties.DBInstanceClass)).toEqual(['db.serverless', 'db.serverless']);
    expect(JSON.stringify(only(e.data, 'AWS::RDS::DBSubnetGroup').Properties.SubnetIds)).toMatch(/PrivateSubnetA.*PrivateSubnetB/);
  });

  test('credentials live in Secrets Manager and reach the task as an ECS secret, never as plain environment', () => {
    // The master secret outlives the stack as the cluster does: a retained cluster without it has no way in.
    const secret = only(e.data, 'AWS::SecretsManager::Secret');
    expect([secret.DeletionPolicy, secret.UpdateReplacePolicy]).toEqual(['RetainExceptOnCreate', 'Retain']);
    const [container] = only(e.platform, 'AWS::ECS::TaskDefinition').Properties.ContainerDefinitions;
    expect(container.Secrets).toEqual([{ Name: 'DB_SECRET', ValueFrom: expect.anything() }]);
    expect(container.Environment.map((v: { Name: string }) => v.Name).sort()).toEqual(['DATA_BUCKET', 'DB_HOST', 'DB_NAME', 'DB_PORT']);
  });

  test('only the service reaches the database port; the rule lives in the platform stack', () => {
    const sg = all(e.data, 'AWS::EC2::SecurityGroup').find((g) => String(g.Properties.GroupDescription).includes('flask-app-production-db'))!;
    expect(sg.Properties.SecurityGroupIngress ?? []).toEqual([]);
    const rule = all(e.platform, 'AWS::EC2::SecurityGroupIngress').find((r) => r.Properties.FromPort === 5432)!;
    expect(rule.Properties).toMatchObject({ ToPort: 5432, IpProtocol: 'tcp' });
    expect(JSON.stringify(rule.Properties.SourceSecurityGroupId)).toMatch(/EcsSecurityGroup/);
  });

  test('without egress, a Secrets Manager endpoint lets ECS fetch the secret; with a NAT gateway there is none', () => {
    const endpoint = only(e.data, 'AWS::EC2::VPCEndpoint');
    expect(JSON.stringify(endpoint.Properties.ServiceName)).toContain('secretsmanager');
    expect(endpoint.Properties).toMatchObject({ VpcEndpointType: 'Interface', PrivateDnsEnabled: true });
    estate({ database: 'aurora-postgresql' }, { egress: 'nat-gateway' }).data.resourceCountIs('AWS::EC2::VPCEndpoint', 0);
  });

  test('the task role may connect as the app user and read the secret', () => {
    const policy = JSON.stringify(all(e.platform, 'AWS::IAM::Policy').filter((p) => JSON.stringify(p.Properties.Roles).includes('TaskRole')));
    expect(policy).toMatch(/rds-db:connect/);
    expect(policy).toMatch(/secretsmanager:GetSecretValue/);
  });
});

describe('data stack with no database', () => {
  const e = estate({ database: 'none' });
  test('only the bucket', () => {
    e.data.resourceCountIs('AWS::DynamoDB::Table', 0);
    e.data.resourceCountIs('AWS::RDS::DBCluster', 0);
    e.data.resourceCountIs('AWS::S3::Bucket', 2);
    expect(Object.keys(e.stacks.data.appEnvironment)).toEqual(['DATA_BUCKET']);
  });
});
