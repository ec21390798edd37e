/**
 * The stacks every service has before any workload: network, hosts and
 * access. `buildApp` starts from these; tests of these stacks build only
 * them, so they do not depend on the workload stacks.
 */
import { App, Stack, Tags } from 'aws-cdk-lib';
import type { ServiceSpec } from '../spec';
import { AccessStack } from './access';
import { acknowledge } from './acknowledge';
import { stackEnvironment } from './env';
import { applyFeatureFlags } from './feature-flags';
import { HostsStack } from './hosts';
import { NetworkStack } from './network';

export interface FoundationStacks {
  readonly network: NetworkStack;
  readonly hosts: HostsStack;
  readonly access: AccessStack;
}

/** App-wide settings; call once, before adding any stack (every stage shares the platform kind). */
export function configureApp(app: App, spec: Pick<ServiceSpec, 'platform'>): void {
  // The flags `cdk init` writes; among them weak cross-stack references (Fn::GetStackOutput), so
  // replacing a resource another stack reads (an instance on a new AMI) never locks an export.
  applyFeatureFlags(app);
  if (spec.platform === 'eks') {
    // The EKS cluster cannot tag subnets it imports from the network stack, and says so on every synth;
    // the network stack writes those tags itself (ServiceVpc, eksSubnetTags), so the warning has nothing to act on.
    acknowledge(app, {
      id: `Annotation::${EKS_SUBNET_TAG_WARNING}`,
      reason: 'The network stack tags the public subnets kubernetes.io/role/elb and the private ones kubernetes.io/role/internal-elb itself.',
    });
  }
}

/** aws-eks-v2's warning for subnets it cannot tag ("Could not auto-tag … subnet"). */
export const EKS_SUBNET_TAG_WARNING = '@aws-cdk/aws-eks:clusterMustManuallyTagSubnet';

export interface FoundationOptions {
  /** Whether this stage's access stack creates the account's GitHub OIDC provider. @default spec.github.createOidcProvider */
  readonly createOidcProvider?: boolean;
}

export function buildFoundation(app: App, spec: ServiceSpec, options: FoundationOptions = {}): FoundationStacks {
  const env = stackEnvironment(spec);
  const { stacks } = spec.names;

  const network = new NetworkStack(app, stacks.network, {
    spec,
    env,
    description: `${spec.serviceName}: VPC ${spec.network.cidr}, subnets, gateways, NACLs, endpoints, flow logs`,
  });
  const hosts = new HostsStack(app, stacks.hosts, {
    spec,
    env,
    network,
    description: `${spec.serviceName}: ${spec.hosts.count} ${spec.hosts.instanceType} host(s) configured by Ansible over SSM`,
  });
  // Explicit, so the order holds even with hosts.count 0 (no reference then carries it).
  hosts.addStackDependency(network, `${spec.names.stacks.hosts} places its instances in the subnets of ${spec.names.stacks.network}`);
  const access = new AccessStack(app, stacks.access, {
    spec,
    env,
    createOidcProvider: options.createOidcProvider,
    description: `${spec.serviceName}: GitHub OIDC deploy role for ${spec.github.owner}/${spec.github.repo}`,
  });
  tagStage(spec, [network, hosts, access]);
  return { network, hosts, access };
}

/** The stage's tags on its own stacks (not the app: one assembly holds every stage). */
export function tagStage(spec: Pick<ServiceSpec, 'tags'>, stacks: readonly Stack[]): void {
  for (const stack of stacks) {
    for (const [key, value] of Object.entries(spec.tags)) Tags.of(stack).add(key, value);
  }
}
