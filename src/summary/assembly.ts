/**
 * Reads what `cdk synth` wrote to cdk.out: the stacks, their resource counts
 * and outputs. Parsing is pure over the manifest and templates given.
 */
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';

export interface SynthesizedStack {
  readonly name: string;
  readonly resourceCount: number;
  readonly outputs: readonly string[];
  readonly templateFile: string;
}

interface Manifest {
  readonly artifacts?: Record<string, { type?: string; properties?: { templateFile?: string }; displayName?: string }>;
}

interface Template {
  readonly Resources?: Record<string, unknown>;
  readonly Outputs?: Record<string, unknown>;
}

export function stacksFromManifest(manifest: Manifest, readTemplate: (file: string) => Template): SynthesizedStack[] {
  return Object.entries(manifest.artifacts ?? {})
    .filter(([, artifact]) => artifact.type === 'aws:cloudformation:stack')
    .map(([id, artifact]) => {
      const templateFile = artifact.properties?.templateFile ?? `${id}.template.json`;
      const template = readTemplate(templateFile);
      return {
        name: id,
        resourceCount: Object.keys(template.Resources ?? {}).length,
        outputs: Object.keys(template.Outputs ?? {}),
        templateFile,
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

export function readAssembly(cdkOut: string): SynthesizedStack[] {
  const manifestPath = join(cdkOut, 'manifest.json');
  if (!existsSync(manifestPath)) {
    throw new Error(`no cloud assembly at ${cdkOut}: run 'npx cdk synth' (or 'npx projen main') first`);
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
  return stacksFromManifest(manifest, (file) => JSON.parse(readFileSync(join(cdkOut, file), 'utf8')) as Template);
}
