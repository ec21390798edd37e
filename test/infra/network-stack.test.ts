import { Match, Template } from 'aws-cdk-lib/assertions';
import { build, nameTagOf, refOf, resourcesOf, specWith } from './fixtures';
import { expectNoNagFindings } from './nag';
import { INTERFACE_ENDPOINTS, naclRules } from '../../src/infra';
import type { ServiceSpec } from '../../src/spec';

const AZ_BY_INDEX = (i: number) => ({ 'Fn::Select': [i, { 'Fn::GetAZs': '' }] });

/** Subnet logical ids by their Name tag. */
function subnetsByName(template: Template): Map<string, { id: string; props: Record<string, unknown> }> {
  return new Map(resourcesOf(template, 'AWS::EC2::Subnet').map(([id, r]) => [nameTagOf(r)!, { id, props: r.Properties }]));
}

/** Route table logical id each subnet (by logical id) is associated with. */
function routeTableOfSubnet(template: Template): Map<string, string> {
  return new Map(
    resourcesOf(template, 'AWS::EC2::SubnetRouteTableAssociation').map(([, r]) => [refOf(r.Properties.SubnetId), refOf(r.Properties.RouteTableId)]),
  );
}

function logicalIdByName(template: Template, type: string, name: string): string {
  const match = resourcesOf(template, type).filter(([, r]) => nameTagOf(r) === name);
  expect(match.map(([, r]) => nameTagOf(r))).toEqual([name]);
  return match[0][0];
}

function expectExactNetwork(template: Template, spec: ServiceSpec): void {
  template.resourceCountIs('AWS::EC2::VPC', 1);
  template.hasResourceProperties('AWS::EC2::VPC', {
    CidrBlock: spec.network.cidr,
    EnableDnsSupport: true,
    EnableDnsHostnames: true,
    Tags: Match.arrayWith([{ Key: 'Name', Value: spec.names.vpc }]),
  });
  const subnets = subnetsByName(template);
  expect([...subnets.keys()].sort()).toEqual(spec.network.subnets.map((s) => s.name).sort());
  const tables = routeTableOfSubnet(template);
  const publicTable = logicalIdByName(template, 'AWS::EC2::RouteTable', spec.names.publicRouteTable);
  for (const subnet of spec.network.subnets) {
    const actual = subnets.get(subnet.name)!;
    const az = spec.network.availabilityZones[subnet.azIndex];
    const { CidrBlock: cidr, AvailabilityZone: azValue, MapPublicIpOnLaunch: publicIp } = actual.props;
    expect({ name: subnet.name, cidr, az: azValue, publicIp }).toEqual({
      name: subnet.name,
      cidr: subnet.cidr,
      az: az.name ?? AZ_BY_INDEX(az.index),
      publicIp: false,
    });
    // tier = which route table: the public one, or the private one of the subnet's own AZ
    const expectedTable =
      subnet.tier === 'public'
        ? publicTable
        : logicalIdByName(template, 'AWS::EC2::RouteTable', `${spec.names.privateRouteTablePrefix}-${az.letter}`);
    expect({ subnet: subnet.name, table: tables.get(actual.id) }).toEqual({ subnet: subnet.name, table: expectedTable });
  }
}

describe('NetworkStack, default spec', () => {
  const built = build();
  const { network: template, spec } = built;

  it('draws the VPC and subnets exactly as the spec says, names as Name tags', () => {
    expectExactNetwork(template, spec);
    expect(spec.network.subnets.map((s) => [s.name, s.cidr])).toEqual([
      ['public-subnet-a', '192.168.0.0/24'],
      ['public-subnet-b', '192.168.1.0/24'],
      ['private-subnet-a', '192.168.2.0/24'],
      ['private-subnet-b', '192.168.3.0/24'],
    ]);
  });

  it('attaches the internet gateway gateway-<service> to the VPC', () => {
    const igw = logicalIdByName(template, 'AWS::EC2::InternetGateway', 'gateway-flask-app-production');
    const vpc = logicalIdByName(template, 'AWS::EC2::VPC', 'vpc-flask-app-production');
    template.resourceCountIs('AWS::EC2::VPCGatewayAttachment', 1);
    template.hasResourceProperties('AWS::EC2::VPCGatewayAttachment', { VpcId: { Ref: vpc }, InternetGatewayId: { Ref: igw } });
  });

  it('routes 0.0.0.0/0 to the IGW from the public route table only, after the attachment', () => {
    const igw = logicalIdByName(template, 'AWS::EC2::InternetGateway', 'gateway-flask-app-production');
    const publicTable = logicalIdByName(template, 'AWS::EC2::RouteTable', 'flask-app-production-public-route');
    const [attachment] = Object.keys(template.findResources('AWS::EC2::VPCGatewayAttachment'));
    const routes = resourcesOf(template, 'AWS::EC2::Route');
    const toIgw = routes.filter(([, r]) => r.Properties.GatewayId !== undefined);
    expect(toIgw.map(([, r]) => r.Properties)).toEqual([{ DestinationCidrBlock: '0.0.0.0/0', GatewayId: { Ref: igw }, RouteTableId: { Ref: publicTable } }]);
    expect(toIgw[0][1].DependsOn).toContain(attachment);
    // egress 'none': no route at all leaves the private route tables
    expect(routes).toHaveLength(1);
  });

  it('associates the public route table with exactly the public subnets', () => {
    const publicTable = logicalIdByName(template, 'AWS::EC2::RouteTable', 'flask-app-production-public-route');
    const subnets = subnetsByName(template);
    const associated = [...routeTableOfSubnet(template)].filter(([, table]) => table === publicTable).map(([subnet]) => subnet);
    expect(associated.sort()).toEqual([subnets.get('public-subnet-a')!.id, subnets.get('public-subnet-b')!.id].sort());
  });

  it('has one NACL per tier holding exactly the rules naclRules lists, associated with that tier', () => {
    const subnets = subnetsByName(template);
    for (const tier of ['public', 'private'] as const) {
      const acl = logicalIdByName(template, 'AWS::EC2::NetworkAcl', tier === 'public' ? spec.names.publicNetworkAcl : spec.names.privateNetworkAcl);
      const entries = resourcesOf(template, 'AWS::EC2::NetworkAclEntry')
        .filter(([, r]) => refOf(r.Properties.NetworkAclId) === acl)
        .map(([, r]) => r.Properties)
        .sort((a, b) => Number(a.Egress) - Number(b.Egress) || (a.RuleNumber as number) - (b.RuleNumber as number));
      const expected = naclRules(spec.network)
        .filter((r) => r.tier === tier)
        .map((r) => ({
          NetworkAclId: { Ref: acl },
          RuleNumber: r.ruleNumber,
          Egress: r.egress,
          Protocol: r.protocol,
          RuleAction: 'allow',
          CidrBlock: r.cidr,
          ...(r.ports ? { PortRange: { From: r.ports.from, To: r.ports.to } } : {}),
        }))
        .sort((a, b) => Number(a.Egress) - Number(b.Egress) || a.RuleNumber - b.RuleNumber);
      expect(entries).toEqual(expected);
      const associated = resourcesOf(template, 'AWS::EC2::SubnetNetworkAclAssociation')
        .filter(([, r]) => refOf(r.Properties.NetworkAclId) === acl)
        .map(([, r]) => refOf(r.Properties.SubnetId))
        .sort();
      expect(associated).toEqual(spec.network.subnets.filter((s) => s.tier === tier).map((s) => subnets.get(s.name)!.id).sort());
    }
    // the literal rules the design names, so a change to naclRules cannot silently open the public tier
    template.hasResourceProperties('AWS::EC2::NetworkAclEntry', { Egress: false, Protocol: 6, PortRange: { From: 443, To: 443 }, CidrBlock: '0.0.0.0/0' });
    template.hasResourceProperties('AWS::EC2::NetworkAclEntry', { Egress: false, Protocol: 6, PortRange: { From: 1024, To: 65535 }, CidrBlock: '192.168.0.0/16' });
    expect(resourcesOf(template, 'AWS::EC2::NetworkAclEntry').filter(([, r]) => (r.Properties.PortRange as { From: number } | undefined)?.From === 22)).toEqual([]);
  });

  it('sends flow logs for all traffic to a log group CloudFormation names, with the spec retention, retained except on a failed create', () => {
    const vpc = logicalIdByName(template, 'AWS::EC2::VPC', 'vpc-flask-app-production');
    template.hasResource('AWS::Logs::LogGroup', {
      // No fixed name: a retried first create or a second service never meets a retained group of the same name.
      Properties: { RetentionInDays: 90 },
      DeletionPolicy: 'RetainExceptOnCreate',
      UpdateReplacePolicy: 'Retain',
    });
    const [flowLogGroup] = resourcesOf(template, 'AWS::Logs::LogGroup').map(([id]) => id).filter((id) => id.startsWith('FlowLogs'));
    template.hasOutput('FlowLogGroupName', { Value: { Ref: flowLogGroup } });
    template.hasResourceProperties('AWS::EC2::FlowLog', { ResourceId: { Ref: vpc }, ResourceType: 'VPC', TrafficType: 'ALL', LogDestinationType: 'cloud-watch-logs' });
  });

  it("with egress 'none' adds S3/DynamoDB gateway endpoints on the private route tables and interface endpoints in the private subnets", () => {
    const subnets = subnetsByName(template);
    const privateTables = ['a', 'b'].map((l) => ({ Ref: logicalIdByName(template, 'AWS::EC2::RouteTable', `flask-app-production-private-route-${l}`) }));
    for (const service of ['s3', 'dynamodb']) {
      template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
        VpcEndpointType: 'Gateway',
        ServiceName: { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, `.${service}`]] },
        RouteTableIds: privateTables,
      });
    }
    const interfaces = resourcesOf(template, 'AWS::EC2::VPCEndpoint').filter(([, r]) => r.Properties.VpcEndpointType === 'Interface');
    expect(interfaces.map(([, r]) => r.Properties.ServiceName).sort()).toEqual(
      ['ecr.api', 'ecr.dkr', 'logs', 'monitoring', 'ssm', 'ssmmessages', 'ec2messages'].map((s) => `com.amazonaws.eu-west-1.${s}`).sort(),
    );
    expect(interfaces).toHaveLength(INTERFACE_ENDPOINTS.length);
    for (const [, r] of interfaces) {
      expect(r.Properties.SubnetIds).toEqual([{ Ref: subnets.get('private-subnet-a')!.id }, { Ref: subnets.get('private-subnet-b')!.id }]);
      expect(r.Properties.PrivateDnsEnabled).toBe(true);
    }
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupName: 'flask-app-production-endpoints',
      SecurityGroupIngress: [Match.objectLike({ CidrIp: '192.168.0.0/16', FromPort: 443, ToPort: 443, IpProtocol: 'tcp' })],
    });
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
  });

  it('gives the hosts a security group admitting only the exporter ports, only from the VPC CIDR', () => {
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupName: 'flask-app-production-hosts',
      SecurityGroupIngress: [
        { CidrIp: '192.168.0.0/16', Description: Match.anyValue(), FromPort: 9100, ToPort: 9100, IpProtocol: 'tcp' },
        { CidrIp: '192.168.0.0/16', Description: Match.anyValue(), FromPort: 9256, ToPort: 9256, IpProtocol: 'tcp' },
      ],
      SecurityGroupEgress: [{ CidrIp: '0.0.0.0/0', Description: Match.anyValue(), FromPort: 443, ToPort: 443, IpProtocol: 'tcp' }],
    });
  });

  it('exports the VPC, subnet and host security group ids under stable names', () => {
    const outputs = template.findOutputs('*');
    const ours = Object.fromEntries(
      Object.entries(outputs)
        // CDK's own outputs for weak cross-stack references carry no export.
        .filter(([id]) => !id.startsWith('PublishOutput'))
        .map(([id, o]) => [id, (o as { Export: { Name: string } }).Export.Name]),
    );
    expect(ours).toEqual({
      VpcId: 'flask-app-production-network-VpcId',
      VpcCidr: 'flask-app-production-network-VpcCidr',
      PublicSubnetAId: 'flask-app-production-network-PublicSubnetAId',
      PublicSubnetBId: 'flask-app-production-network-PublicSubnetBId',
      PrivateSubnetAId: 'flask-app-production-network-PrivateSubnetAId',
      PrivateSubnetBId: 'flask-app-production-network-PrivateSubnetBId',
      FlowLogGroupName: 'flask-app-production-network-FlowLogGroupName',
      HostSecurityGroupId: 'flask-app-production-network-HostSecurityGroupId',
    });
    template.hasOutput('VpcId', { Value: { Ref: logicalIdByName(template, 'AWS::EC2::VPC', 'vpc-flask-app-production') } });
  });

  it('with EKS, tags public and private subnets for the load balancer controller; without, no such tag', () => {
    type Tag = { Key: string; Value: string };
    const tagsOf = (t: Template): [string | undefined, Tag[]][] =>
      resourcesOf(t, 'AWS::EC2::Subnet').map(([, r]) => [nameTagOf(r), (r.Properties.Tags as Tag[]).filter((tag) => tag.Key.startsWith('kubernetes.io/'))]);
    expect(tagsOf(build(specWith({ platform: 'eks' }, { egress: 'nat-gateway' })).network)).toEqual([
      ['public-subnet-a', [{ Key: 'kubernetes.io/role/elb', Value: '1' }]],
      ['public-subnet-b', [{ Key: 'kubernetes.io/role/elb', Value: '1' }]],
      ['private-subnet-a', [{ Key: 'kubernetes.io/role/internal-elb', Value: '1' }]],
      ['private-subnet-b', [{ Key: 'kubernetes.io/role/internal-elb', Value: '1' }]],
    ]);
    expect(tagsOf(template).flatMap(([, tags]) => tags)).toEqual([]);
  });

  it('revokes both rules EC2 puts on the VPC\'s default security group, with a policy scoped to that group', () => {
    const vpc = logicalIdByName(template, 'AWS::EC2::VPC', 'vpc-flask-app-production');
    const calls = resourcesOf(template, 'Custom::AWS').map(([, r]) => JSON.stringify(r.Properties.Create));
    const group = JSON.stringify({ 'Fn::GetAtt': [vpc, 'DefaultSecurityGroup'] });
    expect(calls).toHaveLength(2);
    expect(calls.find((c) => c.includes('RevokeSecurityGroupIngress'))).toContain(group);
    expect(calls.find((c) => c.includes('RevokeSecurityGroupIngress'))).toContain('UserIdGroupPairs');
    expect(calls.find((c) => c.includes('RevokeSecurityGroupEgress'))).toContain('0.0.0.0/0');
    const statements = resourcesOf(template, 'AWS::IAM::Policy')
      .filter(([id]) => id.startsWith('DefaultSecurityGroup'))
      .flatMap(([, p]) => (p.Properties.PolicyDocument as { Statement: { Action: string; Resource: unknown }[] }).Statement);
    expect(statements.map((st) => st.Action).sort()).toEqual(['ec2:RevokeSecurityGroupEgress', 'ec2:RevokeSecurityGroupIngress']);
    for (const st of statements) expect(JSON.stringify(st.Resource)).toContain(`:security-group/",${group}`);
    // every log group the stack keeps is kept except when a first create fails
    for (const [, g] of Object.entries(template.findResources('AWS::Logs::LogGroup'))) expect(g.DeletionPolicy).toBe('RetainExceptOnCreate');
  });

  it('is region-bound from the spec and needs no context lookup', () => {
    expect(built.stacks.network.region).toBe('eu-west-1');
    const assembly = built.app.synth();
    expect(assembly.manifest.missing ?? []).toEqual([]);
  });

  it('passes cdk-nag AwsSolutions with no unacknowledged finding', () => {
    expectNoNagFindings(built.stacks.network);
  });
});

describe('NetworkStack, parametrised specs', () => {
  const cases: [string, ServiceSpec][] = [
    [
      'three AZs, other CIDRs',
      specWith({}, {
        cidr: '10.20.0.0/16',
        availabilityZones: 3,
        publicSubnets: ['10.20.0.0/20', '10.20.16.0/20', '10.20.32.0/20'],
        privateSubnets: ['10.20.128.0/19', '10.20.160.0/19', '10.20.192.0/19'],
      }),
    ],
    [
      'pinned AZ names',
      specWith({ region: 'us-east-1' }, { availabilityZones: ['us-east-1a', 'us-east-1c'] }),
    ],
    [
      'a /22 VPC with /26 subnets',
      specWith({}, {
        cidr: '172.16.4.0/22',
        publicSubnets: ['172.16.4.0/26', '172.16.4.64/26'],
        privateSubnets: ['172.16.5.0/24', '172.16.6.0/24'],
      }),
    ],
  ];

  it.each(cases)('%s: synthesizes the exact subnets, route tables and NACL associations', (_, spec) => {
    const { network } = build(spec);
    expectExactNetwork(network, spec);
    network.resourceCountIs('AWS::EC2::RouteTable', 1 + spec.network.availabilityZones.length);
    network.resourceCountIs('AWS::EC2::SubnetNetworkAclAssociation', spec.network.subnets.length);
  });

  it('pinned AZ names are written as given, never through Fn::GetAZs', () => {
    const spec = cases[1][1];
    const { network } = build(spec);
    const azs = resourcesOf(network, 'AWS::EC2::Subnet').map(([, r]) => r.Properties.AvailabilityZone);
    expect(azs.sort()).toEqual(['us-east-1a', 'us-east-1a', 'us-east-1c', 'us-east-1c']);
  });

  it.each([
    ['nat-gateway', 1],
    ['nat-gateway-per-az', 3],
  ] as const)("egress '%s' creates %d NAT gateway(s) in public subnets and routes every private AZ through one", (egress, count) => {
    const spec = specWith({}, {
      egress,
      availabilityZones: 3,
      publicSubnets: ['192.168.0.0/24', '192.168.1.0/24', '192.168.2.0/24'],
      privateSubnets: ['192.168.10.0/24', '192.168.11.0/24', '192.168.12.0/24'],
    });
    const { network } = build(spec);
    const subnets = subnetsByName(network);
    const nats = resourcesOf(network, 'AWS::EC2::NatGateway');
    expect(nats).toHaveLength(count);
    const publicIds = spec.network.subnets.filter((s) => s.tier === 'public').map((s) => subnets.get(s.name)!.id);
    for (const [, nat] of nats) expect(publicIds).toContain(refOf(nat.Properties.SubnetId));
    expect(nats.map(([, n]) => nameTagOf(n)).sort()).toEqual(['a', 'b', 'c'].slice(0, count).map((l) => `flask-app-production-nat-${l}`));
    network.resourceCountIs('AWS::EC2::EIP', count);

    const natRoutes = resourcesOf(network, 'AWS::EC2::Route').filter(([, r]) => r.Properties.NatGatewayId !== undefined);
    const byTable = new Map(natRoutes.map(([, r]) => [refOf(r.Properties.RouteTableId), refOf(r.Properties.NatGatewayId)]));
    for (const letter of ['a', 'b', 'c']) {
      const table = logicalIdByName(network, 'AWS::EC2::RouteTable', `flask-app-production-private-route-${letter}`);
      const nat = byTable.get(table)!;
      const natName = nameTagOf(nats.find(([id]) => id === nat)![1]);
      expect({ letter, natName }).toEqual({ letter, natName: `flask-app-production-nat-${count === 1 ? 'a' : letter}` });
    }
    // private route tables still never point at the internet gateway
    expect(resourcesOf(network, 'AWS::EC2::Route').filter(([, r]) => r.Properties.GatewayId !== undefined)).toHaveLength(1);
    // gateway endpoints stay (free, and keep S3/DynamoDB off the NAT); interface endpoints are not needed
    expect(resourcesOf(network, 'AWS::EC2::VPCEndpoint').map(([, r]) => r.Properties.VpcEndpointType)).toEqual(['Gateway', 'Gateway']);
  });

  it('an admin CIDR opens SSH in the private NACL and the host security group, from that CIDR only', () => {
    const { network } = build(specWith({}, { adminCidr: '203.0.113.0/24' }));
    network.hasResourceProperties('AWS::EC2::NetworkAclEntry', { Egress: false, PortRange: { From: 22, To: 22 }, CidrBlock: '203.0.113.0/24' });
    network.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupName: 'flask-app-production-hosts',
      SecurityGroupIngress: Match.arrayWith([Match.objectLike({ CidrIp: '203.0.113.0/24', FromPort: 22, ToPort: 22 })]),
    });
  });

  it.each(['nat-gateway', 'nat-gateway-per-az'] as const)("egress '%s' passes cdk-nag", (egress) => {
    const { stacks } = build(specWith({}, { egress, adminCidr: '198.51.100.7/32' }));
    expectNoNagFindings(stacks.network);
  });
});
