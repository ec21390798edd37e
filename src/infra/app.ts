/**
 * Every stack of the service, one per lifecycle. The foundation (network,
 * hosts, access) comes first; to add a stack, construct it in `buildApp`
 * below, take the VPC, subnets and security groups from `network` and the
 * deploy role from `access`, and return it in `ServiceStacks`.
 */
import { App } from 'aws-cdk-lib';
import type { EstateSpec, ServiceSpec } from '../spec';
import type { AccessStack } from './access';
import { accountKey, oidcProviderCreators, serviceLinkedRoleCreators } from './account-singletons';
import { DataStack } from './data';
import { DeliveryStack } from './delivery';
import { stackEnvironment } from './env';
import { FoundationOptions, buildFoundation, configureApp, tagStage } from './foundation';
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

/**
 * Adds every stage's stacks to the app, in promotion order: one assembly for the whole estate. No stage reads
 * another's resources through CDK references (the image repository and the OIDC provider are referenced by
 * ARN), so each stage's pipeline deploys its own stacks alone (`cdk deploy --exclusively`, buildspecs.ts).
 */
export function buildEstate(app: App, estate: EstateSpec): readonly ServiceStacks[] {
  configureApp(app, estate);
  const providers = oidcProviderCreators(estate);
  const linkedRoles = serviceLinkedRoleCreators(estate);
  const providerStacks = new Map<string, AccessStack>();
  const linkedRoleStacks = new Map<string, LogsStack>();
  return estate.stages.map((stage) => {
    const name = stage.stage.name;
    const built = buildStage(app, stage, { createOidcProvider: providers.has(name), createServiceLinkedRole: linkedRoles.has(name) });
    // A later stage of the account waits for the stack that creates what it uses (a first `cdk deploy --all`);
    // its pipeline deploys its own stacks only, exclusively, so the wait never deploys another stage.
    const account = accountKey(stage);
    const provider = providerStacks.get(account);
    if (provider) {
      // IAM refuses a role whose trust names a provider that does not exist yet (MalformedPolicyDocument,
      // e.g. terraform-aws-modules/terraform-aws-eks#2594).
      built.access.addStackDependency(provider, `${provider.stackName} creates the GitHub OIDC provider ${stage.names.stacks.access}'s roles trust`);
    } else if (providers.has(name)) {
      providerStacks.set(account, built.access);
    }
    const linkedRole = linkedRoleStacks.get(account);
    if (linkedRole) {
      // A VPC domain cannot be created before the role exists (https://docs.aws.amazon.com/opensearch-service/latest/developerguide/slr.html).
      built.logs.addStackDependency(linkedRole, `${linkedRole.stackName} creates the OpenSearch service-linked role ${stage.names.stacks.logs}'s VPC domain needs`);
    } else if (linkedRoles.has(name)) {
      linkedRoleStacks.set(account, built.logs);
    }
    return built;
  });
}

/** Adds every stack of one stage to an app of its own (tests, single-stage tools). */
export function buildApp(app: App, spec: ServiceSpec): ServiceStacks {
  configureApp(app, spec);
  return buildStage(app, spec);
}

export interface StageBuildOptions extends FoundationOptions {
  /** Whether this stage's logs stack creates the account's OpenSearch service-linked role. @default spec.logs.createServiceLinkedRole */
  readonly createServiceLinkedRole?: boolean;
}

/** Adds one stage's stacks; the app is configured already. */
export function buildStage(app: App, spec: ServiceSpec, options: StageBuildOptions = {}): ServiceStacks {
  const env = stackEnvironment(spec);
  const { stacks } = spec.names;
  const { network, hosts, access } = buildFoundation(app, spec, options);

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
    createServiceLinkedRole: options.createServiceLinkedRole,
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
    approvalTopic: observability.topic,
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
