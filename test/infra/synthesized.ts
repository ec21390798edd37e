/**
 * The whole estate as CloudFormation receives it: one synth, every stack's
 * template by stack name, plus readers for what the collision and
 * export-stability tests compare (physical names, cross-stack reads).
 */
import { App } from 'aws-cdk-lib';
import { buildApp, buildEstate } from '../../src/infra';
import type { EstateSpec, ServiceSpec } from '../../src/spec';

export interface CfnTemplate {
  readonly Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
  readonly Outputs?: Record<string, { Value: unknown; Export?: { Name: unknown } }>;
}

/**
 * Stack name → template, synthesized as `cdk synth` would (context given here overrides the app's defaults):
 * one stage (a ServiceSpec) or every stage of an estate in one assembly.
 */
export function synthEstate(spec: ServiceSpec | EstateSpec, context: Record<string, unknown> = {}): Record<string, CfnTemplate> {
  const app = new App({ context });
  if ('stages' in spec) buildEstate(app, spec);
  else buildApp(app, spec);
  return Object.fromEntries(app.synth().stacks.map((s) => [s.stackName, s.template as CfnTemplate]));
}

/** Every value under `node` (depth first) that is an object with `key`, with the value at that key. */
export function intrinsics(node: unknown, key: string): unknown[] {
  if (Array.isArray(node)) return node.flatMap((n) => intrinsics(n, key));
  if (node === null || typeof node !== 'object') return [];
  const obj = node as Record<string, unknown>;
  return [...(key in obj ? [obj[key]] : []), ...Object.values(obj).flatMap((v) => intrinsics(v, key))];
}

export interface CrossStackRead {
  readonly consumer: string;
  /** 'import': Fn::ImportValue of an export (strong, CloudFormation locks it); 'output': Fn::GetStackOutput (weak). */
  readonly kind: 'import' | 'output';
  /** The export name, or '<stack>/<output>' for a weak read. */
  readonly name: string;
}

export function crossStackReads(templates: Record<string, CfnTemplate>): CrossStackRead[] {
  return Object.entries(templates).flatMap(([consumer, template]) => [
    ...intrinsics(template, 'Fn::ImportValue').map((name) => ({ consumer, kind: 'import' as const, name: String(name) })),
    ...intrinsics(template, 'Fn::GetStackOutput').map((read) => {
      const { StackName, OutputName } = read as { StackName: string; OutputName: string };
      return { consumer, kind: 'output' as const, name: `${StackName}/${OutputName}` };
    }),
  ]);
}

/**
 * Every export across the templates: export name → the stack exporting it and its value, with each
 * `Ref`/`Fn::GetAtt` replaced by the referenced resource's definition. Two synths then compare equal
 * only if the expression is the same and the resource behind it is defined the same way; a resource
 * whose properties changed may be replaced (a new AMI replaces an instance, and its id), so it counts
 * as a changed value. Conservative: it never misses a replacement, and may flag an in-place update.
 */
export function exportsOf(templates: Record<string, CfnTemplate>): Map<string, { stack: string; value: unknown }> {
  const out = new Map<string, { stack: string; value: unknown }>();
  for (const [stack, template] of Object.entries(templates)) {
    for (const output of Object.values(template.Outputs ?? {})) {
      if (output.Export) out.set(String(output.Export.Name), { stack, value: withResources(output.Value, template) });
    }
  }
  return out;
}

function withResources(node: unknown, template: CfnTemplate): unknown {
  if (Array.isArray(node)) return node.map((n) => withResources(n, template));
  if (node === null || typeof node !== 'object') return node;
  const obj = node as Record<string, unknown>;
  const ref = typeof obj.Ref === 'string' ? obj.Ref : Array.isArray(obj['Fn::GetAtt']) ? String((obj['Fn::GetAtt'] as unknown[])[0]) : undefined;
  if (ref !== undefined && template.Resources?.[ref]) return { ...obj, resource: template.Resources[ref] };
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, withResources(v, template)]));
}
