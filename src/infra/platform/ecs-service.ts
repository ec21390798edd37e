/**
 * The service on ECS Fargate: a cluster with Container Insights, one task
 * definition sized from the spec, and a service in the private subnets behind
 * the load balancer with a rollback circuit breaker and CPU autoscaling.
 */
import { Duration, aws_applicationautoscaling as applicationautoscaling, aws_ec2 as ec2, aws_ecs as ecs, aws_elasticloadbalancingv2 as elbv2, aws_iam as iam, aws_logs as logs } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { ServiceSpec } from '../../spec';
import { acknowledge } from '../acknowledge';
import type { ServiceNetwork } from '../service-network';

export interface EcsServiceProps {
  readonly spec: ServiceSpec;
  readonly network: ServiceNetwork;
  readonly image: ecs.ContainerImage;
  readonly logGroup: logs.ILogGroup;
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  /** Plain configuration (resource names), never secrets. */
  readonly environment: Readonly<Record<string, string>>;
  readonly secrets: Readonly<Record<string, ecs.Secret>>;
}

/** The container's name in the task definition. */
export const CONTAINER_NAME = 'app';
/** The uid:gid the container runs as: the sample image's `app` user (app/Dockerfile `USER 10001:10001`). */
export const CONTAINER_USER = '10001:10001';
/** The one writable path in the container (its root filesystem is read-only): temp files, gunicorn's worker heartbeats. */
export const CONTAINER_SCRATCH_PATH = '/tmp';

export class EcsService extends Construct {
  readonly cluster: ecs.Cluster;
  readonly service: ecs.FargateService;
  /** The autoscaling target's L1 resource (its min/max capacity). */
  readonly scalableTarget: applicationautoscaling.CfnScalableTarget;
  readonly taskRole: iam.IRole;
  readonly executionRole: iam.IRole;
  readonly securityGroup: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: EcsServiceProps) {
    super(scope, id);
    const { spec, network } = props;
    const { container, names } = spec;

    this.cluster = new ecs.Cluster(this, 'Cluster', {
      clusterName: names.ecsCluster,
      vpc: network.vpc,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
    });

    const taskDefinition = new ecs.FargateTaskDefinition(this, 'TaskDefinition', {
      family: names.ecsService,
      cpu: container.cpu,
      memoryLimitMiB: container.memoryMiB,
      runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.X86_64, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX },
    });
    // Fargate task storage: an empty, task-scoped volume, so the read-only root filesystem still has a scratch directory.
    taskDefinition.addVolume({ name: 'scratch' });
    const app = taskDefinition.addContainer('App', {
      containerName: CONTAINER_NAME,
      image: props.image,
      essential: true,
      // The whole task's memory as the container's hard limit: the kernel stops it there, not the task (CT.ECS.PR.7).
      memoryLimitMiB: container.memoryMiB,
      user: CONTAINER_USER,
      portMappings: [{ containerPort: container.port, protocol: ecs.Protocol.TCP }],
      logging: ecs.LogDrivers.awsLogs({ logGroup: props.logGroup, streamPrefix: names.ecsService }),
      environment: { ...props.environment },
      secrets: { ...props.secrets },
      readonlyRootFilesystem: true,
    });
    app.addMountPoints({ sourceVolume: 'scratch', containerPath: CONTAINER_SCRATCH_PATH, readOnly: false });
    if (Object.keys(props.environment).length > 0) {
      acknowledge(taskDefinition, {
        id: 'AwsSolutions-ECS2',
        reason: 'The environment holds only resource names (bucket, table, endpoint) derived from the spec; credentials are injected through ECS secrets from Secrets Manager.',
      });
    }
    this.taskRole = taskDefinition.taskRole;
    this.executionRole = taskDefinition.obtainExecutionRole();

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: network.vpc,
      description: `${names.ecsService} tasks: port ${container.port} from the load balancer only`,
      allowAllOutbound: true,
    });

    this.service = new ecs.FargateService(this, 'Service', {
      serviceName: names.ecsService,
      cluster: this.cluster,
      taskDefinition,
      // No DesiredCount: CloudFormation then keeps the running count on update, and autoscaling (min = desiredCount) owns it.
      // Creating without one starts 1 task, which the scalable target raises to its minimum (aws/aws-cdk#13130).
      vpcSubnets: network.privateSubnets,
      securityGroups: [this.securityGroup],
      assignPublicIp: false,
      circuitBreaker: { enable: true, rollback: true },
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      healthCheckGracePeriod: Duration.seconds(60),
      enableECSManagedTags: true,
      propagateTags: ecs.PropagatedTagSource.SERVICE,
    });
    props.targetGroup.addTarget(this.service);

    const scaling = this.service.autoScaleTaskCount({ minCapacity: container.desiredCount, maxCapacity: container.maxCount });
    this.scalableTarget = scaling.node.findChild('Target').node.defaultChild as applicationautoscaling.CfnScalableTarget;
    scaling.scaleOnCpuUtilization('CpuTarget', {
      targetUtilizationPercent: container.cpuTargetPercent,
      scaleInCooldown: Duration.seconds(120),
      scaleOutCooldown: Duration.seconds(60),
    });
  }
}
