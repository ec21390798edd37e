/**
 * Typed readers over untrusted option values. Each reader records a problem
 * (with the option path and the offending value) and returns `undefined`
 * instead of throwing, so validation carries on and reports everything.
 */
import { Problems, quote } from './problems';

export type Obj = Readonly<Record<string, unknown>>;

/**
 * Records a required option that was left out: it says so and shows what to write, e.g.
 * `is required but not set; add it, e.g. region: 'eu-west-1'`, instead of "got undefined".
 */
export function addMissing(problems: Problems, path: string, example: string): void {
  const key = path.slice(path.lastIndexOf('.') + 1);
  problems.add(path, `is required but not set; add it, e.g. ${key}: ${example}`);
}

/** Reads an object and rejects keys it does not know, suggesting the nearest known one. */
export function readObject(
  problems: Problems,
  path: string,
  value: unknown,
  knownKeys: readonly string[],
  /** For a required object: what to write when it is missing, e.g. `{ owner: 'my-org' }`. */
  example?: string,
): Obj | undefined {
  if (value === undefined && example !== undefined) {
    addMissing(problems, path, example);
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    problems.add(path, `expected an object, got ${quote(value)}`);
    return undefined;
  }
  const obj = value as Obj;
  for (const key of Object.keys(obj)) {
    if (!knownKeys.includes(key)) {
      const near = nearest(key, knownKeys);
      const hint = near ? `did you mean '${near}'?` : `valid options are: ${knownKeys.join(', ')}`;
      problems.add(`${path}.${key}`, `unknown option '${key}' (value ${quote(obj[key])}); ${hint}`);
    }
  }
  return obj;
}

/** Reads an optional object, treating `undefined` as an empty object. */
export function readOptionalObject(problems: Problems, path: string, value: unknown, knownKeys: readonly string[]): Obj {
  if (value === undefined) return {};
  return readObject(problems, path, value, knownKeys) ?? {};
}

export interface StringRule {
  readonly pattern?: RegExp;
  /** Words describing what the pattern accepts, used in the message. */
  readonly describe?: string;
  readonly maxLength?: number;
  /** A value to show when the option is required and missing, as written in `.projenrc.ts`, e.g. `'my-org'`. */
  readonly example?: string;
}

export function readString(problems: Problems, path: string, value: unknown, rule: StringRule = {}): string | undefined {
  if (value === undefined) {
    if (rule.example !== undefined) addMissing(problems, path, rule.example);
    else problems.add(path, `is required but not set; add ${rule.describe ?? 'a string'}`);
    return undefined;
  }
  if (typeof value !== 'string') {
    problems.add(path, `expected a string${rule.describe ? ` (${rule.describe})` : ''}, got ${quote(value)}`);
    return undefined;
  }
  if (rule.maxLength !== undefined && value.length > rule.maxLength) {
    problems.add(path, `${quote(value)} is ${value.length} characters; at most ${rule.maxLength} are allowed`);
    return undefined;
  }
  if (rule.pattern && !rule.pattern.test(value)) {
    problems.add(path, `${quote(value)} is not valid: expected ${rule.describe ?? `a match for ${rule.pattern}`}`);
    return undefined;
  }
  return value;
}

export function readOptionalString(
  problems: Problems,
  path: string,
  value: unknown,
  rule: StringRule = {},
): string | undefined {
  return value === undefined ? undefined : readString(problems, path, value, rule);
}

export interface IntegerRule {
  readonly min: number;
  readonly max: number;
  /** Allowed values when only a few are valid (e.g. Fargate CPU units). */
  readonly oneOf?: readonly number[];
}

export function readInteger(problems: Problems, path: string, value: unknown, fallback: number, rule: IntegerRule): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    problems.add(path, `expected a whole number from ${rule.min} to ${rule.max}, got ${quote(value)}`);
    return fallback;
  }
  if (rule.oneOf && !rule.oneOf.includes(value)) {
    problems.add(path, `${value} is not allowed; use one of ${rule.oneOf.join(', ')}`);
    return fallback;
  }
  if (value < rule.min || value > rule.max) {
    problems.add(path, `${value} is out of range; use a whole number from ${rule.min} to ${rule.max}`);
    return fallback;
  }
  return value;
}

export function readBoolean(problems: Problems, path: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') {
    problems.add(path, `expected true or false, got ${quote(value)}`);
    return fallback;
  }
  return value;
}

export function readEnum<T extends string>(
  problems: Problems,
  path: string,
  value: unknown,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    const near = typeof value === 'string' ? nearest(value, allowed) : undefined;
    const hint = near ? ` (did you mean '${near}'?)` : '';
    problems.add(path, `${quote(value)} is not one of ${allowed.map((a) => `'${a}'`).join(', ')}${hint}`);
    return fallback;
  }
  return value as T;
}

/** Reads an array and hands each element to `item`; non-arrays are a problem. */
export function readArray<T>(
  problems: Problems,
  path: string,
  value: unknown,
  item: (element: unknown, elementPath: string) => T | undefined,
): T[] | undefined {
  if (!Array.isArray(value)) {
    problems.add(path, `expected a list, got ${quote(value)}`);
    return undefined;
  }
  const out: T[] = [];
  value.forEach((element, index) => {
    const parsed = item(element, `${path}[${index}]`);
    if (parsed !== undefined) out.push(parsed);
  });
  return out;
}

/** The known word closest to `word` by edit distance, when it is close enough to be a typo. */
export function nearest(word: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previousDiagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previousDiagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      previousDiagonal = above;
    }
  }
  return row[b.length];
}
