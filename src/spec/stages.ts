/**
 * Stages: the ordered list a build is promoted through. This module reads the `stages` option, merges
 * each stage's overrides over the service-level options (so the single-stage validator checks every
 * stage's values exactly as it checks one), moves each problem to the option the user wrote, and checks
 * what only makes sense across stages. Pure: no I/O.
 */
import { addressCount, formatCidr, overlaps, parseCidr } from './cidr';
import { STAGE_OVERRIDE_KEYS } from './options';
import { Problems, SpecProblem, quote } from './problems';
import { Obj, readArray, readBoolean, readObject, readOptionalString } from './read';

const STAGE_KEYS = ['name', 'account', 'region', 'protected', 'promotesToUnprotected', ...Object.keys(STAGE_OVERRIDE_KEYS)] as const;
const DNS_LABEL = /^[a-z]([a-z0-9-]*[a-z0-9])?$/;
const ACCOUNT = /^\d{12}$/;
/** GitHub Environment names are free text, but every name of the stage carries it: a short DNS label keeps them valid. */
const MAX_STAGE_NAME = 20;

/** One stage as written, before the service-level options are merged in. */
export interface StageInput {
  readonly index: number;
  /** Where it was written: `service.stages[1]`, or `service` for the implicit single stage. */
  readonly path: string;
  readonly name: string;
  /** The stage's own object as written; empty for the implicit single stage. */
  readonly raw: Obj;
  /** True when the stages came from the `stages` option rather than `environment`. */
  readonly explicit: boolean;
}

/**
 * Reads `stages`, or makes the one implicit stage from `environment` and `protectedEnvironment`.
 * Returns the stages it could read; problems name the stage's path.
 */
export function readStages(problems: Problems, root: string, service: Obj, implicitName: string | undefined): readonly StageInput[] {
  if (service.stages === undefined) {
    return implicitName === undefined ? [] : [{ index: 0, path: root, name: implicitName, raw: {}, explicit: false }];
  }
  for (const key of ['environment', 'protectedEnvironment'] as const) {
    if (service[key] !== undefined) {
      const instead = key === 'environment' ? 'each stage\'s name' : 'each stage\'s protected';
      problems.add(`${root}.${key}`, `is set together with stages; with stages, ${instead} says this: remove ${key} (value ${quote(service[key])})`);
    }
  }
  const list = readArray(problems, `${root}.stages`, service.stages, (value, path) => readStage(problems, path, value)) ?? [];
  if (Array.isArray(service.stages) && service.stages.length === 0) {
    problems.add(`${root}.stages`, "is empty; list at least one stage, e.g. stages: [{ name: 'production' }], or remove it for a single 'production' stage");
  }
  return list.map((s, index) => ({ ...s, index, path: `${root}.stages[${index}]`, explicit: true }));
}

function readStage(problems: Problems, path: string, value: unknown): Omit<StageInput, 'index' | 'explicit'> | undefined {
  const o = readObject(problems, path, value, STAGE_KEYS, "{ name: 'staging' }");
  if (!o) return undefined;
  for (const [section, keys] of Object.entries(STAGE_OVERRIDE_KEYS)) {
    const given = o[section];
    if (given === undefined || given === null || typeof given !== 'object' || Array.isArray(given)) continue;
    for (const key of Object.keys(given)) {
      if (!(keys as readonly string[]).includes(key)) {
        problems.add(
          `${path}.${section}.${key}`,
          `a stage cannot set '${key}' (value ${quote((given as Obj)[key])}): it is the same for every stage, so set it in service.${section}; ` +
            `a stage's ${section} may set: ${keys.join(', ')}`,
        );
      }
    }
  }
  const name = readOptionalString(problems, `${path}.name`, o.name, {
    pattern: DNS_LABEL,
    maxLength: MAX_STAGE_NAME,
    describe: "a lowercase DNS label such as 'staging' (a–z, 0–9 and '-', starting with a letter)",
  });
  if (o.name === undefined) problems.add(`${path}.name`, "is required but not set; add it, e.g. name: 'staging'");
  readOptionalString(problems, `${path}.account`, o.account, { pattern: ACCOUNT, describe: 'a 12-digit AWS account id' });
  readBoolean(problems, `${path}.protected`, o.protected, false);
  readBoolean(problems, `${path}.promotesToUnprotected`, o.promotesToUnprotected, false);
  return name === undefined ? undefined : { path, name, raw: o };
}

/** Sections whose stage values are merged key by key over the service's. */
const MERGED_SECTIONS = Object.keys(STAGE_OVERRIDE_KEYS);

/**
 * The options one stage is validated with: the service-level options, the stage's sections merged over
 * them key by key, and its name, account, region and protection in the single-stage places.
 */
export function mergeStageOptions(service: Obj, stage: StageInput): Obj {
  const merged: Record<string, unknown> = { ...service };
  delete merged.stages;
  if (!stage.explicit) return merged;
  merged.environment = stage.name;
  delete merged.protectedEnvironment;
  if (stage.raw.protected !== undefined) merged.protectedEnvironment = stage.raw.protected;
  if (stage.raw.account !== undefined) merged.account = stage.raw.account;
  if (stage.raw.region !== undefined) merged.region = stage.raw.region;
  for (const section of MERGED_SECTIONS) {
    const own = stage.raw[section];
    if (own === undefined) continue;
    const base = service[section];
    const bothObjects = isPlainObject(own) && (base === undefined || isPlainObject(base));
    merged[section] = bothObjects ? { ...(base as Obj | undefined), ...(own as Obj) } : own;
  }
  return merged;
}

/** The single-stage option paths a stage writes under another name. */
const RENAMED_IN_STAGE: Readonly<Record<string, string>> = { environment: 'name', protectedEnvironment: 'protected' };

/**
 * Where a problem found while validating a stage's merged options belongs: under the stage when the
 * stage wrote the value (or the option is the stage's own), under the service otherwise.
 */
export function relocate(problem: SpecProblem, root: string, stage: StageInput): SpecProblem {
  if (!stage.explicit || !problem.path.startsWith(`${root}.`)) return problem;
  const rest = problem.path.slice(root.length + 1);
  const [head, ...tail] = segments(rest);
  const renamed = RENAMED_IN_STAGE[head];
  if (renamed !== undefined) return { ...problem, path: [`${stage.path}.${renamed}`, ...tail].join('') };
  const ownKeys = ['account', 'region'];
  if (ownKeys.includes(head) ? stage.raw[head] !== undefined : writes(stage.raw, [head, ...tail])) {
    return { ...problem, path: `${stage.path}.${rest}` };
  }
  return problem;
}

/** `network.publicSubnets[1]` → ['network', '.publicSubnets', '[1]'] (joined back without a separator). */
function segments(path: string): string[] {
  const parts = path.match(/^[^.[]+|\.[^.[]+|\[\d+\]/g) ?? [path];
  return parts;
}

function writes(raw: Obj, parts: readonly string[]): boolean {
  let value: unknown = raw;
  for (const part of parts) {
    const key = part.startsWith('[') ? Number(part.slice(1, -1)) : part.replace(/^\./, '');
    if (value === null || typeof value !== 'object') return false;
    value = (value as Record<string | number, unknown>)[key];
    if (value === undefined) return false;
  }
  return true;
}

/**
 * Merges the problems of every stage: one written under a stage stays as it is; one on a service-level
 * value found in some stages only says which ("in stage 'staging'"), and one found in every stage is said once.
 */
export function mergeStageProblems(perStage: readonly { readonly stage: StageInput; readonly problems: readonly SpecProblem[] }[]): SpecProblem[] {
  const out: SpecProblem[] = [];
  const shared = new Map<string, { problem: SpecProblem; stages: string[] }>();
  for (const { stage, problems } of perStage) {
    for (const problem of problems) {
      if (problem.path.startsWith(`${stage.path}.`) && stage.explicit) {
        out.push(problem);
        continue;
      }
      const key = `${problem.path}\u0000${problem.message}`;
      const entry = shared.get(key) ?? { problem, stages: [] };
      entry.stages.push(stage.name);
      shared.set(key, entry);
    }
  }
  const all = perStage.length;
  for (const { problem, stages } of shared.values()) {
    const which = stages.length === all || all === 1 ? '' : `in stage${stages.length > 1 ? 's' : ''} ${stages.map((s) => `'${s}'`).join(', ')}: `;
    out.push({ path: problem.path, message: `${which}${problem.message}` });
  }
  return out;
}

/** What a resolved stage contributes to the checks across stages. */
export interface StageFacts {
  readonly path: string;
  readonly name: string;
  readonly account?: string;
  readonly region?: string;
  readonly cidr?: string;
  readonly protected: boolean;
  readonly promotesToUnprotected: boolean;
  /** Where this stage's network CIDR was written (the stage's or the service's). */
  readonly cidrPath: string;
}

/** The checks that need every stage at once; each problem names both stages involved. */
export function crossStageProblems(problems: Problems, root: string, stages: readonly StageFacts[]): void {
  stages.forEach((stage, i) => {
    const first = stages.findIndex((s) => s.name === stage.name);
    if (first < i) {
      problems.add(`${stage.path}.name`, `'${stage.name}' is also the name of ${stages[first].path}; every stage needs its own name (it is in every name the stage creates)`);
    }
  });
  const pinned = stages.filter((s) => s.account !== undefined);
  if (pinned.length > 0 && pinned.length < stages.length) {
    const unpinned = stages.filter((s) => s.account === undefined);
    const pins = pinned.length > 1 ? 'stages' : 'stage';
    problems.add(
      `${root}.stages`,
      `${pins} ${pinned.map((s) => `'${s.name}' (${s.account})`).join(', ')} ${pinned.length > 1 ? 'pin' : 'pins'} an account but ` +
        `${unpinned.map((s) => `'${s.name}'`).join(', ')} ${unpinned.length > 1 ? 'do' : 'does'} not: ` +
        'the image repository grants pulls to the stages\' accounts, so set account on every stage (or on none, or service.account for all)',
    );
  }
  for (let i = 0; i < stages.length; i++) {
    for (let j = i + 1; j < stages.length; j++) overlapProblem(problems, stages[i], stages[j]);
  }
  stages.forEach((stage, i) => {
    const next = stages[i + 1];
    if (stage.protected && next && !next.protected && !stage.promotesToUnprotected) {
      problems.add(
        `${stage.path}.protected`,
        `'${stage.name}' is protected but promotes to '${next.name}', which is not: promotion runs from the least to the most guarded stage, ` +
          `so protect '${next.name}' too, reorder the stages, or set promotesToUnprotected: true on '${stage.name}' if this order is meant`,
      );
    }
  });
}

function overlapProblem(problems: Problems, a: StageFacts, b: StageFacts): void {
  if (a.cidr === undefined || b.cidr === undefined || a.region !== b.region || a.account !== b.account) return;
  const pa = parseCidr(a.cidr);
  const pb = parseCidr(b.cidr);
  if (!pa.ok || !pb.ok || !overlaps(pa.cidr, pb.cidr)) return;
  const where = a.account === undefined ? `region ${a.region} (neither pins an account, so they may share one)` : `account ${a.account} and region ${a.region}`;
  problems.add(
    b.cidrPath,
    `stage '${b.name}' network ${b.cidr} overlaps stage '${a.name}' network ${a.cidr} in ${where}: two VPCs that overlap can never be peered or routed together; ` +
      `give '${b.name}' a block of its own (e.g. ${suggestion(a.cidr)}) with its subnets inside it`,
  );
}

/** A neighbouring block of the same size, as a starting point for the user. */
function suggestion(cidr: string): string {
  const parsed = parseCidr(cidr);
  if (!parsed.ok) return '10.1.0.0/16';
  const { address, prefix } = parsed.cidr;
  return formatCidr({ address: (address + addressCount(parsed.cidr)) % 2 ** 32, prefix });
}

function isPlainObject(value: unknown): value is Obj {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
