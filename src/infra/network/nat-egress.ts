/**
 * Outbound internet for the private subnets when the spec asks for it:
 * one NAT gateway in the first AZ shared by all, or one per AZ so an AZ
 * outage does not cut the others off. With egress 'none' nothing is created.
 */
import { aws_ec2 as ec2 } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ServiceVpc } from './service-vpc';
import type { Egress, ServiceSpec } from '../../spec';

export interface NatEgressProps {
  readonly spec: ServiceSpec;
  readonly network: ServiceVpc;
}

/** Which AZ's NAT gateway each private AZ routes through; empty when there is no egress. */
export function natRouting(egress: Egress, azCount: number): number[] {
  if (egress === 'none') return [];
  return Array.from({ length: azCount }, (_, az) => (egress === 'nat-gateway-per-az' ? az : 0));
}

export class NatEgress extends Construct {
  readonly gateways: readonly ec2.CfnNatGateway[];

  constructor(scope: Construct, id: string, props: NatEgressProps) {
    super(scope, id);
    const { network, spec } = props;
    const routing = natRouting(spec.network.egress, spec.network.availabilityZones.length);
    const gatewayAzs = [...new Set(routing)];

    const byAz = new Map<number, ec2.CfnNatGateway>();
    for (const az of gatewayAzs) {
      const subnet = network.publicSubnets.find((p) => p.spec.azIndex === az);
      if (!subnet) throw new Error(`no public subnet in AZ index ${az} to hold a NAT gateway; the spec must list one public subnet per AZ`);
      const letter = spec.network.availabilityZones[az].letter;
      const name = [{ key: 'Name', value: `${spec.names.natGatewayPrefix}-${letter}` }];
      const eip = new ec2.CfnEIP(this, `Eip${letter.toUpperCase()}`, { domain: 'vpc', tags: name });
      const gateway = new ec2.CfnNatGateway(this, `NatGateway${letter.toUpperCase()}`, {
        subnetId: subnet.resource.ref,
        allocationId: eip.attrAllocationId,
        tags: name,
      });
      // A NAT gateway in a subnet whose VPC has no attached IGW fails to create.
      gateway.addResourceDependency(network.gatewayAttachment);
      byAz.set(az, gateway);
    }

    routing.forEach((gatewayAz, az) => {
      const table = network.privateRouteTables[az];
      const gateway = byAz.get(gatewayAz)!;
      new ec2.CfnRoute(this, `PrivateDefaultRoute${spec.network.availabilityZones[az].letter.toUpperCase()}`, {
        routeTableId: table.ref,
        destinationCidrBlock: '0.0.0.0/0',
        natGatewayId: gateway.ref,
      });
    });
    this.gateways = [...byAz.values()];
  }
}
