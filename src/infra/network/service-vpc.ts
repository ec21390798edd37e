/**
 * The VPC exactly as the spec draws it, in L1 resources so every CIDR and
 * Name tag is the spec's own: the VPC, one subnet per tier and AZ, the
 * internet gateway, the public route table (the only one with a route to the
 * IGW) and one private route table per AZ. `vpc` wraps them as an ec2.IVpc so
 * L2 constructs in any stack can be placed in these subnets.
 */
import { CfnTag, aws_ec2 as ec2 } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { ServiceSpec, SubnetSpec } from '../../spec';
import { acknowledgePinnedAz, availabilityZoneOf, subnetAvailabilityZone } from '../availability-zones';
import { pascalCase } from '../outputs';

export interface ServiceVpcProps {
  readonly spec: ServiceSpec;
}

export interface PlacedSubnet {
  readonly spec: SubnetSpec;
  readonly resource: ec2.CfnSubnet;
  /** The subnet's AZ: a pinned name or an `Fn::GetAZs` token. */
  readonly availabilityZone: string;
  readonly routeTable: ec2.CfnRouteTable;
}

function nameTag(value: string): CfnTag[] {
  return [{ key: 'Name', value }];
}

/**
 * With EKS, the role tags the AWS Load Balancer Controller discovers subnets by (kubernetes.io/role/elb on
 * public, internal-elb on private). The estate's ALB is CDK's own, so today nothing needs them, but an
 * Ingress or LoadBalancer Service a team adds later does; CDK cannot add them itself to subnets it
 * imports from this stack (its "Could not auto-tag" warning).
 * https://docs.aws.amazon.com/eks/latest/userguide/network-load-balancing.html#_subnet_tagging
 */
function eksSubnetTags(spec: ServiceSpec, subnet: SubnetSpec): CfnTag[] {
  if (spec.platform !== 'eks') return [];
  return [{ key: subnet.tier === 'public' ? 'kubernetes.io/role/elb' : 'kubernetes.io/role/internal-elb', value: '1' }];
}

export class ServiceVpc extends Construct {
  readonly resource: ec2.CfnVPC;
  readonly internetGateway: ec2.CfnInternetGateway;
  /** Routes created after this exist only once the IGW is attached. */
  readonly gatewayAttachment: ec2.CfnVPCGatewayAttachment;
  readonly publicRouteTable: ec2.CfnRouteTable;
  /** Indexed by AZ index. */
  readonly privateRouteTables: readonly ec2.CfnRouteTable[];
  readonly publicSubnets: readonly PlacedSubnet[];
  readonly privateSubnets: readonly PlacedSubnet[];
  /** The same network as an ec2.IVpc for L2 constructs. */
  readonly vpc: ec2.IVpc;

  constructor(scope: Construct, id: string, props: ServiceVpcProps) {
    super(scope, id);
    const { spec } = props;
    const { network, names } = spec;

    this.resource = new ec2.CfnVPC(this, 'Vpc', {
      cidrBlock: network.cidr,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: nameTag(names.vpc),
    });

    this.internetGateway = new ec2.CfnInternetGateway(this, 'InternetGateway', { tags: nameTag(names.internetGateway) });
    this.gatewayAttachment = new ec2.CfnVPCGatewayAttachment(this, 'InternetGatewayAttachment', {
      vpcId: this.resource.ref,
      internetGatewayId: this.internetGateway.ref,
    });

    this.publicRouteTable = new ec2.CfnRouteTable(this, 'PublicRouteTable', {
      vpcId: this.resource.ref,
      tags: nameTag(names.publicRouteTable),
    });
    const publicDefault = new ec2.CfnRoute(this, 'PublicDefaultRoute', {
      routeTableId: this.publicRouteTable.ref,
      destinationCidrBlock: '0.0.0.0/0',
      gatewayId: this.internetGateway.ref,
    });
    publicDefault.addResourceDependency(this.gatewayAttachment);

    this.privateRouteTables = network.availabilityZones.map(
      (az) =>
        new ec2.CfnRouteTable(this, `PrivateRouteTable${az.letter.toUpperCase()}`, {
          vpcId: this.resource.ref,
          tags: nameTag(`${names.privateRouteTablePrefix}-${az.letter}`),
        }),
    );

    const placed = network.subnets.map((subnet) => this.placeSubnet(spec, subnet));
    this.publicSubnets = placed.filter((p) => p.spec.tier === 'public');
    this.privateSubnets = placed.filter((p) => p.spec.tier === 'private');

    // Without egress the private subnets are isolated in L2 terms; with a NAT gateway they are private.
    const privateIds = this.privateSubnets.map((p) => p.resource.ref);
    const privateRouteTableIds = this.privateSubnets.map((p) => p.routeTable.ref);
    const isolated = network.egress === 'none';
    this.vpc = ec2.Vpc.fromVpcAttributes(this, 'Imported', {
      vpcId: this.resource.ref,
      vpcCidrBlock: network.cidr,
      availabilityZones: network.availabilityZones.map(availabilityZoneOf),
      publicSubnetIds: this.publicSubnets.map((p) => p.resource.ref),
      publicSubnetRouteTableIds: this.publicSubnets.map((p) => p.routeTable.ref),
      publicSubnetIpv4CidrBlocks: this.publicSubnets.map((p) => p.spec.cidr),
      ...(isolated
        ? {
          isolatedSubnetIds: privateIds,
          isolatedSubnetRouteTableIds: privateRouteTableIds,
          isolatedSubnetIpv4CidrBlocks: this.privateSubnets.map((p) => p.spec.cidr),
        }
        : {
          privateSubnetIds: privateIds,
          privateSubnetRouteTableIds: privateRouteTableIds,
          privateSubnetIpv4CidrBlocks: this.privateSubnets.map((p) => p.spec.cidr),
        }),
    });
  }

  private placeSubnet(spec: ServiceSpec, subnet: SubnetSpec): PlacedSubnet {
    const availabilityZone = subnetAvailabilityZone(spec.network, subnet);
    const id = pascalCase(subnet.name);
    const resource = new ec2.CfnSubnet(this, id, {
      vpcId: this.resource.ref,
      cidrBlock: subnet.cidr,
      availabilityZone,
      // Nothing gets a public address by default; the load balancer and NAT gateways bring their own.
      mapPublicIpOnLaunch: false,
      tags: [...nameTag(subnet.name), ...eksSubnetTags(spec, subnet)],
    });
    acknowledgePinnedAz(resource, spec.network, subnet);
    const routeTable = subnet.tier === 'public' ? this.publicRouteTable : this.privateRouteTables[subnet.azIndex];
    new ec2.CfnSubnetRouteTableAssociation(this, `${id}RouteTableAssociation`, {
      subnetId: resource.ref,
      routeTableId: routeTable.ref,
    });
    return { spec: subnet, resource, availabilityZone, routeTable };
  }
}
