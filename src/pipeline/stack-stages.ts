/**
 * Which stage each stack belongs to, read from a side's spec file (`.slipway/spec.json`), the one place names
 * come from: each stage's `names.stacks`. The assembly cannot say: with the recommended feature flag
 * `@aws-cdk/core:explicitStackTags` the stage's tags reach the resources but not the stack artifacts in the
 * manifest. A base branch from before stages holds one ServiceSpec (schema 1): its stacks are its
 * `environment`'s. Parsing is pure; `readStackStages` is the only I/O.
 */
import { existsSync, readFileSync } from 'fs';

interface StageNames {
  readonly environment?: unknown;
  readonly stage?: { readonly name?: unknown };
  readonly names?: { readonly stacks?: Readonly<Record<string, unknown>> };
}

/** Stack name → stage, in the spec's promotion order. Throws, naming `source`, on anything but a Slipway spec. */
export function stackStagesOf(spec: unknown, source: string): Map<string, string> {
  const s = spec as { stages?: unknown } & StageNames;
  const stages: StageNames[] | undefined = Array.isArray(s?.stages) ? (s.stages as StageNames[]) : s?.names?.stacks ? [s] : undefined;
  if (!stages) throw new Error(`${source} is not a Slipway spec file (no stages, no names.stacks); give the .slipway/spec.json that npx projen writes`);
  const map = new Map<string, string>();
  for (const stage of stages) {
    const name = stage.stage?.name ?? stage.environment;
    if (typeof name !== 'string' || !stage.names?.stacks) throw new Error(`${source}: a stage has no name or no names.stacks; regenerate it with npx projen`);
    for (const stack of Object.values(stage.names.stacks)) if (typeof stack === 'string') map.set(stack, name);
  }
  return map;
}

export function readStackStages(path: string): Map<string, string> {
  if (!existsSync(path)) throw new Error(`no spec file at ${path}: run 'npx projen' on that side first`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`${path} is not valid JSON (${(e as Error).message}); regenerate it with npx projen`);
  }
  return stackStagesOf(parsed, path);
}
