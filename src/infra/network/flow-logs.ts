/**
 * VPC flow logs (accepted and rejected traffic) to a CloudWatch Logs group
 * kept as long as the spec says. The log group outlives the stack; nothing
 * outside finds it by name, so CloudFormation names it (the network stack's
 * FlowLogGroupName output says which), and a second service or a retried
 * first create never collides with a retained group of the same name.
 */
import { aws_ec2 as ec2, aws_iam as iam, aws_logs as logs } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { ServiceSpec } from '../../spec';
import { acknowledgeLogGroupOpinions } from '../policy-validation';
import { RETAINED } from '../retained';

export interface FlowLogsProps {
  readonly spec: ServiceSpec;
  readonly vpc: ec2.IVpc;
}

export class FlowLogs extends Construct {
  readonly logGroup: logs.LogGroup;
  readonly flowLog: ec2.FlowLog;

  constructor(scope: Construct, id: string, props: FlowLogsProps) {
    super(scope, id);
    const { spec, vpc } = props;
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      // The spec only accepts CloudWatch's own retention values, which are the enum's values.
      retention: spec.network.flowLogRetentionDays as logs.RetentionDays,
      removalPolicy: RETAINED,
    });
    acknowledgeLogGroupOpinions(this.logGroup, spec.network.flowLogRetentionDays, 'network.flowLogRetentionDays');
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('vpc-flow-logs.amazonaws.com'),
      description: `Lets VPC Flow Logs write ${spec.names.vpc}'s flow logs to its log group`,
    });
    this.flowLog = new ec2.FlowLog(this, 'FlowLog', {
      resourceType: ec2.FlowLogResourceType.fromVpc(vpc),
      destination: ec2.FlowLogDestination.toCloudWatchLogs(this.logGroup, role),
      trafficType: ec2.FlowLogTrafficType.ALL,
    });
  }
}
