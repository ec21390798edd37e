/**
 * The whole estate synthesized once per spec variant, with templates of the
 * service stacks (platform, data, logging, observability, delivery).
 */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ServiceStacks, buildApp } from '../../../src/infra';
import type { ServiceSpec } from '../../../src/spec';
import { specWith } from '../fixtures';

/** EKS pods need the AWS APIs, so the spec requires a NAT gateway with platform 'eks'. */
export const EKS_NETWORK = { egress: 'nat-gateway' };

export interface Estate {
  readonly app: App;
  readonly spec: ServiceSpec;
  readonly stacks: ServiceStacks;
  readonly platform: Template;
  readonly data: Template;
  readonly logs: Template;
  readonly observability: Template;
  readonly delivery: Template;
}

export function estate(overrides: Parameters<typeof specWith>[0] = {}, network: Parameters<typeof specWith>[1] = {}): Estate {
  const spec = specWith(overrides, network);
  const app = new App();
  const stacks = buildApp(app, spec);
  return {
    app,
    spec,
    stacks,
    platform: Template.fromStack(stacks.platform),
    data: Template.fromStack(stacks.data),
    logs: Template.fromStack(stacks.logs),
    observability: Template.fromStack(stacks.observability),
    delivery: Template.fromStack(stacks.delivery),
  };
}

type Resource = { Properties: Record<string, any>; DeletionPolicy?: string; UpdateReplacePolicy?: string };

/** The single resource of a type, failing loudly when there are none or several. */
export function only(template: Template, type: string): Resource {
  const found = Object.values(template.findResources(type)) as Resource[];
  if (found.length !== 1) throw new Error(`expected exactly one ${type}, found ${found.length}`);
  return found[0];
}

export function all(template: Template, type: string): Resource[] {
  return Object.values(template.findResources(type)) as Resource[];
}

/** Every statement of every IAM policy document in a resource list, flattened. */
export function statementsOf(policy: Resource): { Sid?: string; Action: string | string[]; Resource: unknown; Effect: string }[] {
  return policy.Properties.PolicyDocument.Statement;
}
