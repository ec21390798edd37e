/**
 * Every stack of the service, one per lifecycle. To add a stack, construct it
 * in `buildApp` below and take the VPC, subnets and security groups from
 * `network`, the deploy role from `access`; return it in `ServiceStacks`.
 */
import { App, Tags, cx_api } from 'aws-cdk-lib';
import type { ServiceSpec } from '../spec';
import { AccessStack } from './access';
import { stackEnvironment } from './env';
import { HostsStack } from './hosts';
import { NetworkStack } from './network';

export interface ServiceStacks {
  readonly network: NetworkStack;
  readonly hosts: HostsStack;
  readonly access: AccessStack;
}

/** Adds every stack of the service to the app. */
export function buildApp(app: App, spec: ServiceSpec): ServiceStacks {
  // Cross-stack references (hosts → network, …) stay exports the consumer pins, as CDK has always made them.
  app.node.setContext(cx_api.DEFAULT_CROSS_STACK_REFERENCES, 'strong');
  for (const [key, value] of Object.entries(spec.tags)) Tags.of(app).add(key, value);
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
  const access = new AccessStack(app, stacks.access, {
    spec,
    env,
    description: `${spec.serviceName}: GitHub OIDC deploy role for ${spec.github.owner}/${spec.github.repo}`,
  });

  return { network, hosts, access };
}
