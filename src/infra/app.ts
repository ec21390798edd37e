/**
 * Every stack of the service, one per lifecycle. The foundation (network,
 * hosts, access) comes first; to add a stack, construct it in `buildApp`
 * below, take the VPC, subnets and security groups from `network` and the
 * deploy role from `access`, and return it in `ServiceStacks`.
 */
import { App } from 'aws-cdk-lib';
import type { ServiceSpec } from '../spec';
import type { AccessStack } from './access';
import { buildFoundation, configureApp } from './foundation';
import type { HostsStack } from './hosts';
import type { NetworkStack } from './network';

export interface ServiceStacks {
  readonly network: NetworkStack;
  readonly hosts: HostsStack;
  readonly access: AccessStack;
}

/** Adds every stack of the service to the app. */
export function buildApp(app: App, spec: ServiceSpec): ServiceStacks {
  configureApp(app, spec);
  const { network, hosts, access } = buildFoundation(app, spec);

  return { network, hosts, access };
}
