/**
 * The network lifecycle: VPC, subnets, gateways, routes, NACLs, endpoints,
 * flow logs and the hosts' security group. Other stacks take what they need
 * from the typed fields below rather than from exports.
 */
import { Stack, StackProps, aws_ec2 as ec2 } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { ServiceSpec } from '../../spec';
import { pascalCase, stableOutput } from '../outputs';
import { RestrictedDefaultSecurityGroup } from './default-security-group';
import { FlowLogs } from './flow-logs';
import { HostSecurityGroup } from './host-security-group';
import { NatEgress } from './nat-egress';
import { NetworkAcls } from './network-acls';
import { ServiceVpc } from './service-vpc';
import { VpcEndpoints } from './vpc-endpoints';

export interface NetworkStackProps extends StackProps {
  readonly spec: ServiceSpec;
}

export class NetworkStack extends Stack {
  /** The VPC for L2 constructs (ECS, ALB, OpenSearch, Aurora, Lambda). */
  readonly vpc: ec2.IVpc;
  /** One public subnet per AZ, in spec order: load balancers, NAT gateways. */
  readonly publicSubnets: ec2.SubnetSelection;
  /** One private subnet per AZ, in spec order: hosts, tasks, databases, endpoints. */
  readonly privateSubnets: ec2.SubnetSelection;
  /** The EC2 hosts' security group; add ingress from your own security groups with `connections`. */
  readonly hostSecurityGroup: ec2.ISecurityGroup;
  /** The interface endpoints' security group (egress 'none' only); allow your tasks to reach it on 443. */
  readonly endpointSecurityGroup?: ec2.ISecurityGroup;
  /** The VPC's L1 resources, for callers that need exact ids (route tables, the IGW). */
  readonly network: ServiceVpc;
  private readonly subnetsByName = new Map<string, ec2.ISubnet>();

  constructor(scope: Construct, id: string, props: NetworkStackProps) {
    super(scope, id, props);
    const { spec } = props;

    this.network = new ServiceVpc(this, 'Network', { spec });
    this.vpc = this.network.vpc;
    this.publicSubnets = { subnets: this.vpc.publicSubnets };
    const privates = spec.network.egress === 'none' ? this.vpc.isolatedSubnets : this.vpc.privateSubnets;
    this.privateSubnets = { subnets: privates };
    // fromVpcAttributes keeps the order of the ids it was given, which is the spec's order.
    this.network.publicSubnets.forEach((p, i) => this.subnetsByName.set(p.spec.name, this.vpc.publicSubnets[i]));
    this.network.privateSubnets.forEach((p, i) => this.subnetsByName.set(p.spec.name, privates[i]));

    new RestrictedDefaultSecurityGroup(this, 'DefaultSecurityGroup', { vpc: this.network.resource });
    new NatEgress(this, 'Egress', { spec, network: this.network });
    new NetworkAcls(this, 'NetworkAcls', { spec, network: this.network });
    const endpoints = new VpcEndpoints(this, 'Endpoints', { spec, vpc: this.vpc, privateSubnets: this.privateSubnets });
    this.endpointSecurityGroup = endpoints.securityGroup;
    const flowLogs = new FlowLogs(this, 'FlowLogs', { spec, vpc: this.vpc });
    this.hostSecurityGroup = new HostSecurityGroup(this, 'Hosts', { spec, vpc: this.vpc }).securityGroup;

    stableOutput(this, 'VpcId', this.network.resource.ref, `${spec.names.vpc} id`);
    stableOutput(this, 'VpcCidr', spec.network.cidr, `${spec.names.vpc} IPv4 CIDR`);
    for (const subnet of [...this.network.publicSubnets, ...this.network.privateSubnets]) {
      stableOutput(this, `${pascalCase(subnet.spec.name)}Id`, subnet.resource.ref, `${subnet.spec.name} (${subnet.spec.cidr}) id`);
    }
    stableOutput(this, 'FlowLogGroupName', flowLogs.logGroup.logGroupName, `the CloudWatch log group of ${spec.names.vpc}'s flow logs`);
    stableOutput(this, 'HostSecurityGroupId', this.hostSecurityGroup.securityGroupId, `${spec.names.hostSecurityGroup} security group id`);
  }

  /** The L2 subnet for a spec subnet name such as 'private-subnet-a'. */
  subnetNamed(name: string): ec2.ISubnet {
    const subnet = this.subnetsByName.get(name);
    if (!subnet) {
      throw new Error(`the network has no subnet named '${name}'; it has ${[...this.subnetsByName.keys()].join(', ')}`);
    }
    return subnet;
  }
}
