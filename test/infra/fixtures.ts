/**
 * Specs and synthesized stacks for the infra tests. Every spec goes through
 * normaliseServiceOptions, so tests exercise the same values `npx projen`
 * would write, never a hand-made ServiceSpec.
 */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { FoundationStacks, buildFoundation, configureApp } from '../../src/infra';
import { EstateSpec, ServiceSpec, normaliseEstate, normaliseServiceOptions } from '../../src/spec';
import { seedOptions } from '../spec/fixtures';

type Options = ReturnType<typeof seedOptions>;

/** The seed's spec with top-level options replaced and the network merged over the seed's. */
export function specWith(overrides: Partial<Record<keyof Options, unknown>> = {}, network: Record<string, unknown> = {}): ServiceSpec {
  const seed = seedOptions();
  return normaliseServiceOptions({ ...seed, ...overrides, network: { ...seed.network, ...network } });
}

/** The default `.projenrc.ts`'s two stages: staging on its own network, then production on the service's. */
export const TWO_STAGES = [
  {
    name: 'staging',
    network: { cidr: '172.20.0.0/16', publicSubnets: ['172.20.0.0/24', '172.20.1.0/24'], privateSubnets: ['172.20.2.0/24', '172.20.3.0/24'] },
    hosts: { count: 1 },
    container: { desiredCount: 1 },
  },
  { name: 'production', protected: false },
] as const;

/** The seed's estate with top-level options replaced and `stages` (the default two unless given). */
export function estateWith(overrides: Partial<Record<keyof Options, unknown>> = {}, stages: readonly object[] = TWO_STAGES): EstateSpec {
  return normaliseEstate({ ...seedOptions(), ...overrides, stages });
}

export interface Built {
  readonly app: App;
  readonly spec: ServiceSpec;
  readonly stacks: FoundationStacks;
  readonly network: Template;
  readonly hosts: Template;
  readonly access: Template;
}

/** An app holding the foundation stacks only, configured as buildApp configures it. */
export function foundationApp(spec: ServiceSpec): { app: App; stacks: FoundationStacks } {
  const app = new App();
  configureApp(app, spec);
  return { app, stacks: buildFoundation(app, spec) };
}

export function build(spec: ServiceSpec = specWith()): Built {
  const { app, stacks } = foundationApp(spec);
  return {
    app,
    spec,
    stacks,
    network: Template.fromStack(stacks.network),
    hosts: Template.fromStack(stacks.hosts),
    access: Template.fromStack(stacks.access),
  };
}

/** Resources of one type as [logicalId, resource] pairs. */
export function resourcesOf(template: Template, type: string): [string, { Properties: Record<string, unknown>; DependsOn?: string[] }][] {
  return Object.entries(template.findResources(type)) as [string, { Properties: Record<string, unknown>; DependsOn?: string[] }][];
}

/** The value of a resource's Name tag. */
export function nameTagOf(resource: { Properties: Record<string, unknown> }): string | undefined {
  const tags = (resource.Properties.Tags ?? []) as { Key: string; Value: string }[];
  return tags.find((t) => t.Key === 'Name')?.Value;
}

/** The logical id a `{ Ref }` points to. */
export function refOf(value: unknown): string {
  const ref = (value as { Ref?: string } | undefined)?.Ref;
  if (!ref) throw new Error(`expected a { Ref } but got ${JSON.stringify(value)}`);
  return ref;
}

/**
 * Whether `value` reads another stack's output weakly (`Fn::GetStackOutput`, the
 * cross-stack reference `cdk init`'s flags choose) from `stackName`, an output
 * whose logical id carries `logicalIdPrefix`.
 */
export function readsOutputOf(value: unknown, stackName: string, logicalIdPrefix: string): boolean {
  const read = (value as { 'Fn::GetStackOutput'?: { StackName?: string; OutputName?: string } } | undefined)?.['Fn::GetStackOutput'];
  return read?.StackName === stackName && typeof read.OutputName === 'string' && read.OutputName.includes(logicalIdPrefix);
}
