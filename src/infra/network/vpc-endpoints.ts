/**
 * Private access to AWS services. Gateway endpoints (S3, DynamoDB) cost
 * nothing and keep that traffic off any NAT gateway, so they exist in every
 * egress mode. Interface endpoints are how private subnets without egress
 * reach ECR, CloudWatch and SSM, so they exist only with egress 'none'.
 */
import { aws_ec2 as ec2 } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { Egress, ServiceSpec } from '../../spec';

/** What each interface endpoint is for; the order is the construct order. */
export const INTERFACE_ENDPOINTS: readonly { readonly id: string; readonly service: ec2.InterfaceVpcEndpointAwsService; readonly why: string }[] = [
  { id: 'EcrApi', service: ec2.InterfaceVpcEndpointAwsService.ECR, why: 'image manifests for ECS/EKS pulls' },
  { id: 'EcrDocker', service: ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER, why: 'image layers (served from S3 through the gateway endpoint)' },
  { id: 'CloudWatchLogs', service: ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS, why: 'container and host logs' },
  { id: 'CloudWatchMonitoring', service: ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_MONITORING, why: 'CloudWatch agent metrics from the hosts' },
  { id: 'Ssm', service: ec2.InterfaceVpcEndpointAwsService.SSM, why: 'SSM managed-instance registration (Ansible over SSM)' },
  { id: 'SsmMessages', service: ec2.InterfaceVpcEndpointAwsService.SSM_MESSAGES, why: 'SSM Session Manager channels' },
  { id: 'Ec2Messages', service: ec2.InterfaceVpcEndpointAwsService.EC2_MESSAGES, why: 'SSM Run Command' },
];

export function wantsInterfaceEndpoints(egress: Egress): boolean {
  return egress === 'none';
}

export interface VpcEndpointsProps {
  readonly spec: ServiceSpec;
  readonly vpc: ec2.IVpc;
  readonly privateSubnets: ec2.SubnetSelection;
}

export class VpcEndpoints extends Construct {
  readonly gateways: readonly ec2.GatewayVpcEndpoint[];
  readonly interfaces: readonly ec2.InterfaceVpcEndpoint[];
  /** Admits HTTPS from the VPC CIDR; undefined when there are no interface endpoints. */
  readonly securityGroup?: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: VpcEndpointsProps) {
    super(scope, id);
    const { spec, vpc, privateSubnets } = props;

    this.gateways = [
      new ec2.GatewayVpcEndpoint(this, 'S3', { vpc, service: ec2.GatewayVpcEndpointAwsService.S3, subnets: [privateSubnets] }),
      new ec2.GatewayVpcEndpoint(this, 'DynamoDb', { vpc, service: ec2.GatewayVpcEndpointAwsService.DYNAMODB, subnets: [privateSubnets] }),
    ];

    if (!wantsInterfaceEndpoints(spec.network.egress)) {
      this.interfaces = [];
      return;
    }
    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc,
      securityGroupName: spec.names.endpointSecurityGroup,
      description: `HTTPS from ${spec.network.cidr} to the interface VPC endpoints of ${spec.serviceName}`,
      allowAllOutbound: false,
    });
    securityGroup.addIngressRule(ec2.Peer.ipv4(spec.network.cidr), ec2.Port.tcp(443), 'HTTPS from inside the VPC');
    this.securityGroup = securityGroup;
    this.interfaces = INTERFACE_ENDPOINTS.map(
      (endpoint) =>
        new ec2.InterfaceVpcEndpoint(this, endpoint.id, {
          vpc,
          service: endpoint.service,
          subnets: privateSubnets,
          privateDnsEnabled: true,
          securityGroups: [securityGroup],
          open: false,
        }),
    );
  }
}
