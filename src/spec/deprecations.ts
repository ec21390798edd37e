/**
 * Options that changed between template versions. A stamped repository's `.projenrc.ts` was written against
 * the version it was stamped from; after an upgrade it may name an option the new version calls something
 * else. Each entry says when the option changed and what replaces it, so the spec either applies the
 * rename itself (same meaning, new name) or stops with the exact edit to make (removed options).
 *
 * Pure: raw options in, renamed raw options and problems out. `normaliseServiceOptions` applies it first.
 * `npx projen upgrade-platform` also rewrites a renamed option in `.projenrc.ts` (src/upgrade/projenrc-rename.ts).
 */
import { quote } from './problems';
import type { SpecProblem } from './problems';

/** One option that changed in a template version. */
export interface Deprecation {
  /** The template version the change shipped in, e.g. '2.0.0'. */
  readonly since: string;
  /** The old option's path under `service`, dot-separated, e.g. 'hosts.instanceType'. */
  readonly option: string;
  /** The new option's path for a rename (same meaning, same values); absent when the option was removed. */
  readonly renamedTo?: string;
  /** For a removal: what to write instead (the message quotes it). */
  readonly instead?: string;
}

/**
 * Newest last. Release checklist: an option renamed or removed in a release gets its row here in the
 * same release; rows are never deleted (a repository may skip versions).
 */
export const DEPRECATIONS: readonly Deprecation[] = [
  // slipway:deprecations (one row per renamed or removed option)
];

/** A rename the spec applied to the raw options. */
export interface AppliedRename {
  readonly since: string;
  readonly from: string;
  readonly to: string;
}

export interface DeprecationResult {
  /** The options with every rename applied; the input is never mutated. */
  readonly options: unknown;
  readonly renamed: readonly AppliedRename[];
  /** Removed options still set, and renames set under both names: each with the edit to make. */
  readonly problems: readonly SpecProblem[];
}

type Obj = Record<string, unknown>;

function isObject(value: unknown): value is Obj {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The value at `path` in `root`, or undefined when any step is missing or not an object. */
function getPath(root: unknown, path: readonly string[]): unknown {
  let at: unknown = root;
  for (const key of path) {
    if (!isObject(at) || !Object.prototype.hasOwnProperty.call(at, key)) return undefined;
    at = at[key];
  }
  return at;
}

/** A copy of `root` with the value at `from` moved to `to` (objects on the way are copied, not mutated). */
function movePath(root: Obj, from: readonly string[], to: readonly string[]): Obj {
  const value = getPath(root, from);
  const without = (o: Obj, path: readonly string[]): Obj => {
    const [head, ...rest] = path;
    if (rest.length === 0) {
      const { [head]: _dropped, ...kept } = o;
      return kept;
    }
    return { ...o, [head]: without(o[head] as Obj, rest) };
  };
  const withValue = (o: Obj, path: readonly string[]): Obj => {
    const [head, ...rest] = path;
    if (rest.length === 0) return { ...o, [head]: value };
    return { ...o, [head]: withValue(isObject(o[head]) ? (o[head] as Obj) : {}, rest) };
  };
  return withValue(without(root, from), to);
}

/** The edit a user makes for a rename, in the words of `.projenrc.ts`. */
export function renameEdit(d: Deprecation & { renamedTo: string }): string {
  const from = d.option.split('.');
  const to = d.renamedTo.split('.');
  const sameParent = from.length === to.length && from.slice(0, -1).every((k, i) => k === to[i]);
  if (sameParent) {
    const parent = from.length > 1 ? ` inside ${from.slice(0, -1).join(': { ')}: { … }` : '';
    return `in .projenrc.ts, rename the key ${from[from.length - 1]}: to ${to[to.length - 1]}:${parent}`;
  }
  return `in .projenrc.ts, move the value of service.${d.option} to service.${d.renamedTo}`;
}

/** Applies `table` to the raw service options. */
export function applyDeprecations(input: unknown, table: readonly Deprecation[] = DEPRECATIONS): DeprecationResult {
  if (!isObject(input)) return { options: input, renamed: [], problems: [] };
  let options: Obj = input;
  const renamed: AppliedRename[] = [];
  const problems: SpecProblem[] = [];
  for (const d of table) {
    const from = d.option.split('.');
    const old = getPath(options, from);
    if (old === undefined) continue;
    const path = `service.${d.option}`;
    if (d.renamedTo === undefined) {
      const instead = d.instead ? `; instead: ${d.instead}` : '';
      problems.push({ path, message: `was removed in Slipway ${d.since} (set here to ${quote(old)}); delete it from .projenrc.ts${instead}` });
      continue;
    }
    const to = d.renamedTo.split('.');
    if (getPath(options, to) !== undefined) {
      problems.push({
        path,
        message: `was renamed to service.${d.renamedTo} in Slipway ${d.since}, and both are set; delete ${from[from.length - 1]}: ${quote(old)} from .projenrc.ts`,
      });
      continue;
    }
    options = movePath(options, from, to);
    renamed.push({ since: d.since, from: d.option, to: d.renamedTo });
  }
  return { options, renamed, problems };
}
