/**
 * Every stack of the service, one per lifecycle. The foundation (network,
 * hosts, access) comes first; to add a stack, construct it in `buildApp`
 * below, take the VPC, subnets and security groups from `network` and the
 * deploy role from `access`, and return it in `ServiceStacks`.
 */
import { App } from 'aws-cdk-lib';
import type { EstateSpec, ServiceSpec } from '../spec';
import type { AccessStack } from './access';
import { DataStack } from './data';
import { DeliveryStack } from './delivery';
import { stackEnvironment } from './env';
import { buildFoundation, configureApp, tagStage } from './foundation';
import type { HostsStack } from './hosts';
import { LogsStack } from './logging';
import type { NetworkStack } from './network';
import { ObservabilityStack } from './observability';
import { PlatformStack } from './platform';

export interface ServiceStacks {
  readonly network: NetworkStack;
  readonly hosts: HostsStack;
  readonly access: AccessStack;
  readonly data: DataStack;
  readonly platform: PlatformStack;
  readonly logs: LogsStack;
  readonly observability: ObservabilityStack;
  readonly delivery: DeliveryStack;
}

/** Adds every stage's stacks to the app, in promotion order: one assembly for the whole estate. */
export function buildEstate(app: App, estate: EstateSpec): readonly ServiceStacks[] {
  configureApp(app, estate);
  return estate.stages.map((stage) => buildStage(app, stage));
}

/** Adds every stack of one stage to an app of its own (tests, single-stage tools). */
export function buildApp(app: App, spec: ServiceSpec): ServiceStacks {
  configureApp(app, spec);
  return buildStage(app, spec);
}

/** Adds one stage's stacks; the app is configured already. */
export function buildStage(app: App, spec: ServiceSpec): ServiceStacks {
  const env = stackEnvironment(spec);
  const { stacks } = spec.names;
  const { network, hosts, access } = buildFoundation(app, spec);

  const data = new DataStack(app, stacks.data, {
    spec,
    env,
    network,
    description: `${spec.serviceName}: S3 bucket${spec.database === 'none' ? '' : ` and ${spec.database}`}, retained on delete`,
  });
  const platform = new PlatformStack(app, stacks.platform, {
    spec,
    env,
    network,
    data,
    imagePushRole: access.imagePushRole,
    description: `${spec.serviceName}: ECR, load balancer and the service on ${spec.platform}`,
  });
  const logs = new LogsStack(app, stacks.logs, {
    spec,
    env,
    network,
    logGroups: [platform.appLogGroup],
    description: `${spec.serviceName}: OpenSearch domain and the CloudWatch Logs shipper`,
  });
  const observability = new ObservabilityStack(app, stacks.observability, {
    spec,
    env,
    observed: {
      loadBalancer: platform.loadBalancer.loadBalancer,
      targetGroup: platform.loadBalancer.targetGroup,
      ecsService: platform.ecs?.service,
      eksClusterName: platform.eks?.cluster.clusterName,
      hostInstanceIds: hosts.instances.map((i) => i.instanceId),
      table: data.table,
      database: data.aurora?.cluster,
      logShipper: logs.shipper,
      logShipperDeadLetterQueue: logs.shipperDeadLetterQueue,
    },
    description: `${spec.serviceName}: CloudWatch dashboard, alarms and the alarm topic`,
  });
  const delivery = new DeliveryStack(app, stacks.delivery, {
    spec,
    env,
    deployRole: access.deployRole,
    service: {
      ecsService: platform.ecs?.service,
      eks: platform.eks && {
        cluster: platform.eks.cluster,
        targetGroupArn: platform.loadBalancer.targetGroup.targetGroupArn,
        podRoleArn: platform.eks.podRole.roleArn,
        // Pods read the database secret themselves (IRSA); ECS injects it instead.
        environment: { ...data.appEnvironment, ...(data.aurora?.cluster.secret ? { DB_SECRET_ARN: data.aurora.cluster.secret.secretArn } : {}) },
      },
    },
    description: `${spec.serviceName}: CodePipeline ${spec.names.pipeline} (V2, queued) from the S3 release source`,
  });

  tagStage(spec, [data, platform, logs, observability, delivery]);
  return { network, hosts, access, data, platform, logs, observability, delivery };
}
