/**
 * Reads the CloudFormation templates of a synthesized cloud assembly
 * (`cdk.out`): every stack artifact, including those in nested assemblies
 * (CDK stages), keyed by its display name. Parsing the manifest is pure;
 * `readAssemblyTemplates` is the only I/O.
 */
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import type { Template } from './template-diff';

interface Artifact {
  readonly type?: string;
  readonly displayName?: string;
  readonly properties?: { readonly templateFile?: string; readonly directoryName?: string };
}

export interface AssemblyManifest {
  readonly artifacts?: Readonly<Record<string, Artifact>>;
}

/** One stack's template file, relative to the assembly directory, under its display name. */
export interface StackTemplateRef {
  readonly stack: string;
  readonly templateFile: string;
}

/** The stacks of a manifest, and the nested assemblies to read next. Pure. */
export function stackTemplateRefs(manifest: AssemblyManifest): { stacks: StackTemplateRef[]; nested: string[] } {
  const stacks: StackTemplateRef[] = [];
  const nested: string[] = [];
  for (const [id, artifact] of Object.entries(manifest.artifacts ?? {})) {
    if (artifact.type === 'aws:cloudformation:stack') {
      stacks.push({ stack: artifact.displayName ?? id, templateFile: artifact.properties?.templateFile ?? `${id}.template.json` });
    } else if (artifact.type === 'cdk:cloud-assembly' && artifact.properties?.directoryName) {
      nested.push(artifact.properties.directoryName);
    }
  }
  return { stacks, nested };
}

export function readAssemblyTemplates(dir: string): Map<string, Template> {
  const manifestPath = join(dir, 'manifest.json');
  if (!existsSync(manifestPath)) {
    throw new Error(`no cloud assembly at ${dir} (no manifest.json): synthesize it first with 'npx cdk synth --output ${dir}'`);
  }
  const templates = new Map<string, Template>();
  const { stacks, nested } = stackTemplateRefs(readJson(manifestPath) as AssemblyManifest);
  for (const ref of stacks) {
    if (templates.has(ref.stack)) throw new Error(`${dir}: two stacks are named '${ref.stack}'; stack names must be unique to compare them`);
    templates.set(ref.stack, readJson(join(dir, ref.templateFile)) as Template);
  }
  for (const sub of nested) {
    for (const [stack, template] of readAssemblyTemplates(join(dir, sub))) {
      if (templates.has(stack)) throw new Error(`${dir}: two stacks are named '${stack}'; stack names must be unique to compare them`);
      templates.set(stack, template);
    }
  }
  return templates;
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
