/**
 * Reads the CloudFormation templates of a synthesized cloud assembly
 * (`cdk.out`): every stack artifact, including those in nested assemblies
 * (CDK stages), keyed by its display name, and the Slipway stage each stack
 * belongs to (its `slipway:environment` tag, which the manifest carries).
 * Parsing the manifest is pure; the `read*` functions are the only I/O.
 */
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import type { Template } from './template-diff';
import { TAG_ENVIRONMENT } from '../spec/spec';

interface Artifact {
  readonly type?: string;
  readonly displayName?: string;
  readonly properties?: { readonly templateFile?: string; readonly directoryName?: string; readonly tags?: Readonly<Record<string, string>> };
}

export interface AssemblyManifest {
  readonly artifacts?: Readonly<Record<string, Artifact>>;
}

/** One stack's template file, relative to the assembly directory, under its display name. */
export interface StackTemplateRef {
  readonly stack: string;
  readonly templateFile: string;
  /** The stage whose stack it is (the stack's slipway:environment tag); absent for a stack of no stage. */
  readonly stage?: string;
}

/** An assembly's templates, and the stage of each stack that has one, in the manifest's (promotion) order. */
export interface AssemblyContents {
  readonly templates: Map<string, Template>;
  readonly stages: Map<string, string>;
}

/** The stacks of a manifest, and the nested assemblies to read next. Pure. */
export function stackTemplateRefs(manifest: AssemblyManifest): { stacks: StackTemplateRef[]; nested: string[] } {
  const stacks: StackTemplateRef[] = [];
  const nested: string[] = [];
  for (const [id, artifact] of Object.entries(manifest.artifacts ?? {})) {
    if (artifact.type === 'aws:cloudformation:stack') {
      const stage = artifact.properties?.tags?.[TAG_ENVIRONMENT];
      stacks.push({ stack: artifact.displayName ?? id, templateFile: artifact.properties?.templateFile ?? `${id}.template.json`, ...(stage ? { stage } : {}) });
    } else if (artifact.type === 'cdk:cloud-assembly' && artifact.properties?.directoryName) {
      nested.push(artifact.properties.directoryName);
    }
  }
  return { stacks, nested };
}

export function readAssemblyTemplates(dir: string): Map<string, Template> {
  return readAssembly(dir).templates;
}

export function readAssembly(dir: string): AssemblyContents {
  const manifestPath = join(dir, 'manifest.json');
  if (!existsSync(manifestPath)) {
    throw new Error(`no cloud assembly at ${dir} (no manifest.json): synthesize it first with 'npx cdk synth --output ${dir}'`);
  }
  const templates = new Map<string, Template>();
  const stages = new Map<string, string>();
  const add = (stack: string, template: Template, stage: string | undefined) => {
    if (templates.has(stack)) throw new Error(`${dir}: two stacks are named '${stack}'; stack names must be unique to compare them`);
    templates.set(stack, template);
    if (stage) stages.set(stack, stage);
  };
  const { stacks, nested } = stackTemplateRefs(readJson(manifestPath) as AssemblyManifest);
  for (const ref of stacks) add(ref.stack, readJson(join(dir, ref.templateFile)) as Template, ref.stage);
  for (const sub of nested) {
    const inner = readAssembly(join(dir, sub));
    for (const [stack, template] of inner.templates) add(stack, template, inner.stages.get(stack));
  }
  return { templates, stages };
}

function readJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`cannot read ${path}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`${path} is not valid JSON (${(e as Error).message}); synthesize the assembly again`);
  }
}
