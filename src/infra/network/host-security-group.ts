/**
 * The security group of the EC2 hosts. It lives in the network stack so
 * other stacks (scrapers, load balancers) can reference it without a cycle
 * through the hosts stack. Inbound: only the exporter ports from inside the
 * VPC, plus SSH from the admin CIDR when the spec sets one. Outbound: HTTPS
 * only (AWS APIs, endpoints, package repositories); the VPC resolver, NTP and
 * instance metadata are not filtered by security groups.
 */
import { aws_ec2 as ec2 } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { ServiceSpec } from '../../spec';

export interface HostIngress {
  readonly cidr: string;
  readonly port: number;
  readonly description: string;
}

/** The inbound rules, as data: exporters from the VPC CIDR, SSH only from an admin CIDR. */
export function hostIngress(spec: ServiceSpec): HostIngress[] {
  const { monitoring, network } = spec;
  return [
    { cidr: network.cidr, port: monitoring.nodeExporterPort, description: 'node_exporter scrapes from inside the VPC' },
    { cidr: network.cidr, port: monitoring.processExporterPort, description: 'process-exporter scrapes from inside the VPC' },
    ...(network.adminCidr ? [{ cidr: network.adminCidr, port: 22, description: 'SSH from the admin CIDR' }] : []),
  ];
}

export interface HostSecurityGroupProps {
  readonly spec: ServiceSpec;
  readonly vpc: ec2.IVpc;
}

export class HostSecurityGroup extends Construct {
  readonly securityGroup: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: HostSecurityGroupProps) {
    super(scope, id);
    const { spec, vpc } = props;
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc,
      securityGroupName: spec.names.hostSecurityGroup,
      description: `${spec.serviceName} hosts: exporter ports from ${spec.network.cidr} only`,
      allowAllOutbound: false,
    });
    for (const rule of hostIngress(spec)) {
      this.securityGroup.addIngressRule(ec2.Peer.ipv4(rule.cidr), ec2.Port.tcp(rule.port), rule.description);
    }
    this.securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to AWS APIs, VPC endpoints and package repositories');
  }
}
