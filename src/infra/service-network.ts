/**
 * What the service stacks need from the network, as a structural type so they
 * can be built against the real NetworkStack or a test VPC alike.
 */
import type { aws_ec2 as ec2 } from 'aws-cdk-lib';

export interface ServiceNetwork {
  readonly vpc: ec2.IVpc;
  /** One public subnet per AZ: the load balancer. */
  readonly publicSubnets: ec2.SubnetSelection;
  /** One private subnet per AZ: tasks, databases, OpenSearch, the log shipper. */
  readonly privateSubnets: ec2.SubnetSelection;
}
