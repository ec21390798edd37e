import { Match, Template } from 'aws-cdk-lib/assertions';
import { build, nameTagOf, readsOutputOf, refOf, resourcesOf, specWith } from './fixtures';
import { expectNoNagFindings, nagAcknowledgements } from './nag';
import { ec2InventoryConfig } from '../../src/hosts/ansible-vars';
import { connectionVars } from '../../src/hosts/inventory';
import { DATA_DEVICE, ROOT_DEVICE, TRANSFER_ACCESS_LOG_PREFIX, hostPlacements, hostTransferBucketName, isArmInstanceType } from '../../src/infra';
import { TAG_ROLE, TAG_SERVICE } from '../../src/spec';

/** A weak reference to the network stack's output that carries `logicalIdPrefix`. */
function importsFrom(value: unknown, logicalIdPrefix: string): boolean {
  return readsOutputOf(value, 'flask-app-production-network', logicalIdPrefix);
}

describe('hostPlacements', () => {
  it('deals hosts round-robin over the private subnets, named <prefix>-<n>', () => {
    const spec = specWith({ hosts: { count: 5 } }, {
      availabilityZones: 3,
      publicSubnets: ['192.168.0.0/24', '192.168.1.0/24', '192.168.2.0/24'],
      privateSubnets: ['192.168.10.0/24', '192.168.11.0/24', '192.168.12.0/24'],
    });
    expect(hostPlacements(spec).map((p) => [p.name, p.subnet.name])).toEqual([
      ['flask-app-production-host-1', 'private-subnet-a'],
      ['flask-app-production-host-2', 'private-subnet-b'],
      ['flask-app-production-host-3', 'private-subnet-c'],
      ['flask-app-production-host-4', 'private-subnet-a'],
      ['flask-app-production-host-5', 'private-subnet-b'],
    ]);
  });

  it('places nothing when the count is 0', () => {
    expect(hostPlacements(specWith({ hosts: { count: 0 } }))).toEqual([]);
  });
});

describe('isArmInstanceType', () => {
  it.each([
    ['t4g.small', true],
    ['m7g.large', true],
    ['c6gn.xlarge', true],
    ['x2gd.medium', true],
    ['g5g.xlarge', true],
    ['a1.medium', true],
    ['t3.small', false],
    ['g4dn.xlarge', false],
    ['m7i.large', false],
    ['c5.large', false],
  ])('%s → arm64 %s', (type, arm) => {
    expect(isArmInstanceType(type)).toBe(arm);
  });
});

describe('HostsStack, default spec', () => {
  const { hosts: template, stacks, spec } = build(specWith({ hosts: { count: 2, dataVolumeGiB: 50 } }));

  it('runs hosts.count instances of the spec instance type in the private subnets, spread over the AZs', () => {
    const instances = resourcesOf(template, 'AWS::EC2::Instance');
    expect(instances.map(([, r]) => [nameTagOf(r), r.Properties.InstanceType])).toEqual([
      ['flask-app-production-host-1', 't3.small'],
      ['flask-app-production-host-2', 't3.small'],
    ]);
    const nic = (i: number) => (instances[i][1].Properties.NetworkInterfaces as Record<string, unknown>[])[0];
    expect(importsFrom(nic(0).SubnetId, 'PrivateSubnetA')).toBe(true);
    expect(importsFrom(nic(1).SubnetId, 'PrivateSubnetB')).toBe(true);
    expect(instances[0][1].Properties.AvailabilityZone).toEqual({ 'Fn::Select': [0, { 'Fn::GetAZs': '' }] });
    expect(instances[1][1].Properties.AvailabilityZone).toEqual({ 'Fn::Select': [1, { 'Fn::GetAZs': '' }] });
    for (const i of [0, 1]) {
      expect(instances[i][1].Properties.Monitoring).toBe(true);
      expect(nic(i).AssociatePublicIpAddress).toBe(false);
      expect(importsFrom((nic(i).GroupSet as unknown[])[0], 'HostsSecurityGroup')).toBe(true);
    }
  });

  it('boots Amazon Linux 2023 from the public SSM parameter, resolved by CloudFormation (no synth-time lookup)', () => {
    const parameters = template.findParameters('*', { Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>' });
    expect(Object.values(parameters).map((p) => (p as { Default: string }).Default)).toEqual([
      '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64',
    ]);
    const [parameterId] = Object.keys(parameters);
    template.allResourcesProperties('AWS::EC2::Instance', { ImageId: { Ref: parameterId } });
  });

  it('boots the AMI hosts.imageId pins, as a literal: no parameter CloudFormation could re-resolve', () => {
    const { hosts } = build(specWith({ hosts: { count: 2, imageId: 'ami-0abcdef1234567890' } }));
    expect(hosts.findParameters('*', { Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>' })).toEqual({});
    hosts.allResourcesProperties('AWS::EC2::Instance', { ImageId: 'ami-0abcdef1234567890' });
  });

  it('names each launch template after its stack and instance, so a second service or stack never collides', () => {
    // @aws-cdk/aws-ec2:uniqueImdsv2TemplateName; without it every stack's is 'Host1LaunchTemplate'.
    const names = resourcesOf(template, 'AWS::EC2::LaunchTemplate').map(([, lt]) => lt.Properties.LaunchTemplateName as string);
    expect(names).toEqual([expect.stringMatching(/^flaskappproductionhostsHost1LaunchTemplate/), expect.stringMatching(/^flaskappproductionhostsHost2LaunchTemplate/)]);
  });

  it('requires IMDSv2 on every instance', () => {
    const templates = resourcesOf(template, 'AWS::EC2::LaunchTemplate');
    expect(templates.length).toBeGreaterThan(0);
    for (const [, lt] of templates) {
      expect((lt.Properties.LaunchTemplateData as { MetadataOptions: unknown }).MetadataOptions).toEqual({ HttpTokens: 'required' });
      expect((lt.Properties.LaunchTemplateData as { Monitoring: unknown }).Monitoring).toEqual({ Enabled: true });
    }
    const ids = new Set(templates.map(([id]) => id));
    for (const [, instance] of resourcesOf(template, 'AWS::EC2::Instance')) {
      const lt = instance.Properties.LaunchTemplate as { LaunchTemplateName: unknown };
      expect(lt).toBeDefined();
      const name = JSON.stringify(lt);
      expect([...ids].some((id) => name.includes(id))).toBe(true);
    }
  });

  it('encrypts a gp3 root volume of the spec size, deleted with the instance', () => {
    template.allResourcesProperties('AWS::EC2::Instance', {
      BlockDeviceMappings: [{ DeviceName: ROOT_DEVICE, Ebs: { VolumeSize: 20, VolumeType: 'gp3', Encrypted: true, DeleteOnTermination: true } }],
    });
  });

  it('adds an encrypted, retained gp3 data volume per host in its AZ when dataVolumeGiB > 0', () => {
    const volumes = resourcesOf(template, 'AWS::EC2::Volume');
    expect(volumes).toHaveLength(2);
    template.allResources('AWS::EC2::Volume', {
      Properties: Match.objectLike({ Size: 50, VolumeType: 'gp3', Encrypted: true }),
      DeletionPolicy: 'RetainExceptOnCreate',
      UpdateReplacePolicy: 'Retain',
    });
    expect(volumes.map(([, v]) => [nameTagOf(v), v.Properties.AvailabilityZone])).toEqual([
      ['flask-app-production-host-1-data', { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] }],
      ['flask-app-production-host-2-data', { 'Fn::Select': [1, { 'Fn::GetAZs': '' }] }],
    ]);
    const attachments = resourcesOf(template, 'AWS::EC2::VolumeAttachment').map(([, a]) => [refOf(a.Properties.InstanceId), refOf(a.Properties.VolumeId), a.Properties.Device]);
    const instanceIds = resourcesOf(template, 'AWS::EC2::Instance').map(([id]) => id);
    expect(attachments).toEqual([
      [instanceIds[0], volumes[0][0], DATA_DEVICE],
      [instanceIds[1], volumes[1][0], DATA_DEVICE],
    ]);
  });

  it('gives the hosts a role with SSM managed-instance access and the CloudWatch agent policy, plus only the transfer bucket', () => {
    template.resourceCountIs('AWS::IAM::Role', 1);
    // IAM names are global to the account: CloudFormation names the role, so two regions never collide.
    template.hasResourceProperties('AWS::IAM::Role', { RoleName: Match.absent() });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' } }] },
      ManagedPolicyArns: [
        { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AmazonSSMManagedInstanceCore']] },
        { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/CloudWatchAgentServerPolicy']] },
      ],
    });
    // the only inline policy is the transfer-bucket grant (asserted in its own describe)
    template.resourceCountIs('AWS::IAM::Policy', 1);
    // one instance profile per host, all for the same role
    const role = resourcesOf(template, 'AWS::IAM::Role')[0][0];
    expect(resourcesOf(template, 'AWS::IAM::InstanceProfile').map(([, p]) => p.Properties.Roles)).toEqual([[{ Ref: role }], [{ Ref: role }]]);
  });

  it('tags the instances and volumes with the Ansible inventory keys', () => {
    for (const type of ['AWS::EC2::Instance', 'AWS::EC2::Volume']) {
      template.allResourcesProperties(type, {
        Tags: Match.arrayWith([
          { Key: TAG_ROLE, Value: spec.hosts.role },
          { Key: TAG_SERVICE, Value: 'flask-app' },
        ]),
      });
    }
  });

  it('outputs each instance id and the transfer bucket under stable export names', () => {
    const ids = resourcesOf(template, 'AWS::EC2::Instance').map(([id]) => id);
    template.hasOutput('Host1InstanceId', { Value: { Ref: ids[0] }, Export: { Name: 'flask-app-production-hosts-Host1InstanceId' } });
    template.hasOutput('Host2InstanceId', { Value: { Ref: ids[1] }, Export: { Name: 'flask-app-production-hosts-Host2InstanceId' } });
    const [bucketId] = transferBucket(template);
    template.hasOutput('HostTransferBucketName', { Value: { Ref: bucketId }, Export: { Name: 'flask-app-production-hosts-HostTransferBucketName' } });
  });

  it('passes cdk-nag AwsSolutions with no unacknowledged finding', () => {
    expectNoNagFindings(stacks.hosts);
  });
});

describe('HostsStack, other specs', () => {
  it('count 0: no instances, no volumes; the role and the transfer bucket stay (hosts launched elsewhere use both)', () => {
    const { hosts, stacks } = build(specWith({ hosts: { count: 0 } }));
    hosts.resourceCountIs('AWS::EC2::Instance', 0);
    hosts.resourceCountIs('AWS::EC2::Volume', 0);
    hosts.resourceCountIs('AWS::IAM::Role', 1);
    expect(transferBucket(hosts)).toBeDefined();
    expect(Object.keys(hosts.findOutputs('*'))).toEqual(['HostTransferBucketName']);
    expectNoNagFindings(stacks.hosts);
  });

  it('no data volume by default', () => {
    build().hosts.resourceCountIs('AWS::EC2::Volume', 0);
  });

  it('a Graviton instance type boots the arm64 AMI; role tag and sizes follow the spec', () => {
    const { hosts } = build(specWith({ hosts: { count: 3, instanceType: 't4g.medium', rootVolumeGiB: 40, role: 'worker' } }));
    const parameters = hosts.findParameters('*', { Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>' });
    expect(Object.values(parameters).map((p) => (p as { Default: string }).Default)).toEqual([
      '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64',
    ]);
    hosts.resourceCountIs('AWS::EC2::Instance', 3);
    hosts.allResourcesProperties('AWS::EC2::Instance', {
      InstanceType: 't4g.medium',
      BlockDeviceMappings: [Match.objectLike({ Ebs: Match.objectLike({ VolumeSize: 40 }) })],
      Tags: Match.arrayWith([{ Key: TAG_ROLE, Value: 'worker' }]),
    });
  });

  it('pinned AZs and NAT egress pass cdk-nag too', () => {
    const { stacks } = build(specWith({ region: 'us-east-1', hosts: { dataVolumeGiB: 10 } }, { availabilityZones: ['us-east-1a', 'us-east-1b'], egress: 'nat-gateway' }));
    expectNoNagFindings(stacks.hosts);
  });
});

/** The one bucket with a fixed name: the transfer bucket (the other is its access-log bucket). */
function transferBucket(template: Template): [string, { Properties: Record<string, unknown> }] {
  const named = resourcesOf(template, 'AWS::S3::Bucket').filter(([, b]) => b.Properties.BucketName !== undefined);
  expect(named).toHaveLength(1);
  return named[0];
}

/** A CloudFormation value with `{ Ref: 'AWS::AccountId' }` replaced by `account`; other intrinsics are an error. */
function resolveAccount(value: unknown, account: string): string {
  if (typeof value === 'string') return value;
  const v = value as { 'Ref'?: string; 'Fn::Join'?: [string, unknown[]] };
  if (v.Ref === 'AWS::AccountId') return account;
  if (v['Fn::Join']) return v['Fn::Join'][1].map((part) => resolveAccount(part, account)).join(v['Fn::Join'][0]);
  throw new Error(`cannot resolve ${JSON.stringify(value)} offline`);
}

describe('HostsStack, the Ansible SSM transfer bucket', () => {
  const { hosts: template, stacks, spec } = build(specWith({ hosts: { count: 2 } }));
  const [bucketId, bucket] = transferBucket(template);
  const role = resourcesOf(template, 'AWS::IAM::Role')[0][0];

  it('is named <hostTransferBucketPrefix>-<account id>-<region>, exactly as the driver\'s inventory names it', () => {
    expect(bucket.Properties.BucketName).toEqual({ 'Fn::Join': ['', ['flask-app-production-hosts-', { Ref: 'AWS::AccountId' }, '-eu-west-1']] });
    const account = '123456789012';
    const inventory = connectionVars(spec, { instanceId: 'i-0123456789abcdef0', accountId: account, state: 'running' }, 'ssm');
    expect(resolveAccount(bucket.Properties.BucketName, account)).toBe(inventory.ansible_aws_ssm_bucket_name);
    expect(hostTransferBucketName(spec, account)).toBe('flask-app-production-hosts-123456789012-eu-west-1');
    // the generated amazon.aws.aws_ec2 config puts the instance's owner_id between the same literals
    const [before, , after] = (bucket.Properties.BucketName as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
    expect((ec2InventoryConfig(spec, 'ssm').compose as Record<string, string>).ansible_aws_ssm_bucket_name).toBe(`'${String(before)}' ~ owner_id ~ '${String(after)}'`);
  });

  it('blocks public access, encrypts with S3-managed keys, enforces bucket-owner ownership and is not versioned', () => {
    expect(bucket.Properties).toMatchObject({
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
    expect(bucket.Properties.VersioningConfiguration).toBeUndefined();
  });

  it('denies every request that is not over TLS', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Resource: [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/*']] }],
          },
        ]),
      },
    });
  });

  it('expires objects and abandoned multipart uploads after one day, and is retained on stack deletion', () => {
    expect(bucket.Properties.LifecycleConfiguration).toEqual({
      Rules: [
        { ExpirationInDays: 1, Status: 'Enabled' },
        { AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: 'Enabled' },
      ],
    });
    template.hasResource('AWS::S3::Bucket', { Properties: Match.objectLike({ BucketName: Match.anyValue() }), DeletionPolicy: 'RetainExceptOnCreate', UpdateReplacePolicy: 'Retain' });
  });

  it('logs server access to the stack\'s own access-log bucket', () => {
    const logs = resourcesOf(template, 'AWS::S3::Bucket').filter(([id]) => id !== bucketId);
    expect(logs).toHaveLength(1);
    expect(bucket.Properties.LoggingConfiguration).toEqual({ DestinationBucketName: { Ref: logs[0][0] }, LogFilePrefix: TRANSFER_ACCESS_LOG_PREFIX });
    // delivered through the log bucket's policy (no ACLs), only from this bucket
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logs[0][0] },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 's3:PutObject',
            Principal: { Service: 'logging.s3.amazonaws.com' },
            Condition: Match.objectLike({ ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [bucketId, 'Arn'] } } }),
          }),
        ]),
      },
    });
  });

  it('lets the host role read, write and delete in that bucket and nowhere else', () => {
    const policies = resourcesOf(template, 'AWS::IAM::Policy');
    expect(policies).toHaveLength(1);
    const [, policy] = policies[0];
    expect(policy.Properties.Roles).toEqual([{ Ref: role }]);
    const statements = (policy.Properties.PolicyDocument as { Statement: { Effect: string; Action: string[]; Resource: unknown }[] }).Statement;
    expect(statements).toHaveLength(1);
    expect(statements[0].Effect).toBe('Allow');
    expect(statements[0].Action).toEqual(expect.arrayContaining(['s3:GetObject*', 's3:PutObject', 's3:DeleteObject*', 's3:List*']));
    expect(statements[0].Action.every((action) => action.startsWith('s3:'))).toBe(true);
    expect(statements[0].Resource).toEqual([{ 'Fn::GetAtt': [bucketId, 'Arn'] }, { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/*']] }]);
  });

  it('stays cdk-nag clean with the grant\'s wildcards acknowledged one by one on the role', () => {
    expectNoNagFindings(stacks.hosts);
    const acks = nagAcknowledgements(stacks.hosts).filter((a) => a.path === 'flask-app-production-hosts/Role').map((a) => a.rule);
    expect(acks).toEqual(expect.arrayContaining([
      'AwsSolutions-IAM5[Action::s3:GetObject*]',
      'AwsSolutions-IAM5[Action::s3:DeleteObject*]',
      `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/*]`,
    ]));
  });
});
