/**
 * Strict, typed reading of action inputs. Every problem is an InputError that
 * names the input, quotes the value seen and says what to write instead.
 */
import { InputError } from './errors';
import { Runner } from './runner';

const TRUE_WORDS = ['true', 'True', 'TRUE'];
const FALSE_WORDS = ['false', 'False', 'FALSE'];

export interface IntegerOptions {
  /** Used when the input is absent or empty; omit to make the input required. */
  readonly default?: number;
  /** Smallest accepted value (inclusive). @default 0 */
  readonly min?: number;
  /** Largest accepted value (inclusive). @default Number.MAX_SAFE_INTEGER */
  readonly max?: number;
}

export interface KeyValueOptions {
  /** Names must match this (anchored). @default /^[A-Za-z_][A-Za-z0-9_]*$/ */
  readonly namePattern?: RegExp;
  /** Described in messages, e.g. 'letters, digits, @, - and _'. */
  readonly nameDescription?: string;
  /** Smallest accepted value length. @default 0 */
  readonly minValueLength?: number;
  /** Largest accepted value length. @default unbounded */
  readonly maxValueLength?: number;
}

export interface KeyValue {
  readonly name: string;
  readonly value: string;
}

/** Quote a value for a message; long values are cut so a log line stays readable. */
function quote(value: string): string {
  const shown = value.length > 80 ? `${value.slice(0, 77)}...` : value;
  return `'${shown}'`;
}

/** Reads inputs through a Runner; secrets are masked the moment they are read. */
export class Inputs {
  constructor(private readonly runner: Pick<Runner, 'input' | 'setSecret'>) {}

  /** A non-empty string; absent or blank is an error naming the input. */
  required(name: string): string {
    const value = this.runner.input(name);
    if (value === '') {
      throw new InputError(name, `input '${name}' is required but was not set. Add it under 'with:', e.g. '${name}: <value>'.`);
    }
    return value;
  }

  /** The value, or undefined when absent or blank. */
  optional(name: string): string | undefined {
    const value = this.runner.input(name);
    return value === '' ? undefined : value;
  }

  /** The value, or `fallback` when absent or blank. */
  string(name: string, fallback: string): string {
    return this.optional(name) ?? fallback;
  }

  /** A secret: masked in the log before anything else can print it. */
  secret(name: string, options: { required: true }): string;
  secret(name: string, options?: { required?: boolean }): string | undefined;
  secret(name: string, options: { required?: boolean } = {}): string | undefined {
    const value = this.runner.input(name);
    if (value !== '') this.runner.setSecret(value);
    if (value === '' && options.required) return this.required(name);
    return value === '' ? undefined : value;
  }

  /** true/false in the YAML 1.2 core spellings; 'yes', '1' and the like are errors, never guesses. */
  boolean(name: string, fallback: boolean): boolean {
    const value = this.runner.input(name);
    if (value === '') return fallback;
    if (TRUE_WORDS.includes(value)) return true;
    if (FALSE_WORDS.includes(value)) return false;
    throw new InputError(name, `input '${name}' must be true or false; got ${quote(value)}. Write e.g. '${name}: ${String(fallback)}'.`);
  }

  /** A whole number within [min, max]. */
  integer(name: string, options: IntegerOptions = {}): number {
    const min = options.min ?? 0;
    const max = options.max ?? Number.MAX_SAFE_INTEGER;
    const value = this.runner.input(name);
    if (value === '') {
      if (options.default !== undefined) return options.default;
      return Number(this.required(name));
    }
    const example = options.default ?? min;
    if (!/^[+-]?\d+$/.test(value)) {
      throw new InputError(name, `input '${name}' must be a whole number; got ${quote(value)}. Write e.g. '${name}: ${example}'.`);
    }
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      throw new InputError(name, `input '${name}' must be between ${min} and ${max}; got ${quote(value)}. Write e.g. '${name}: ${example}'.`);
    }
    return n;
  }

  /** One of `allowed`, matched exactly (case-sensitive, as documented in action.yml). */
  enumeration<T extends string>(name: string, allowed: readonly T[], fallback?: T): T {
    const value = this.runner.input(name);
    if (value === '') {
      if (fallback !== undefined) return fallback;
      this.required(name);
    }
    const found = allowed.find((a) => a === value);
    if (found === undefined) {
      const hint = allowed.find((a) => a.toLowerCase() === value.toLowerCase());
      const suggestion = hint ? ` Did you mean '${hint}'?` : '';
      throw new InputError(name, `input '${name}' must be one of ${allowed.map((a) => `'${a}'`).join(', ')}; got ${quote(value)}.${suggestion}`);
    }
    return found;
  }

  /** A multiline input as its non-blank lines, each trimmed. */
  lines(name: string): string[] {
    return this.runner
      .input(name)
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== '');
  }

  /** Multiline `NAME=value` pairs; every line is checked and duplicates are errors. */
  keyValues(name: string, options: KeyValueOptions = {}): KeyValue[] {
    const pattern = options.namePattern ?? /^[A-Za-z_][A-Za-z0-9_]*$/;
    const described = options.nameDescription ?? 'letters, digits and _, not starting with a digit';
    const minLength = options.minValueLength ?? 0;
    const maxLength = options.maxValueLength ?? Number.MAX_SAFE_INTEGER;
    const seen = new Set<string>();
    return this.lines(name).map((line, index) => {
      const where = `input '${name}' line ${index + 1}`;
      const eq = line.indexOf('=');
      if (eq < 0) {
        throw new InputError(name, `${where} must be NAME=value; got ${quote(line)}. Write e.g. 'MY_NAME=value'.`);
      }
      const key = line.slice(0, eq).trim();
      const value = line.slice(eq + 1).trim();
      if (!pattern.test(key)) {
        throw new InputError(name, `${where}: name ${quote(key)} may contain only ${described}.`);
      }
      if (seen.has(key)) {
        throw new InputError(name, `${where}: name ${quote(key)} is given twice; keep one of them.`);
      }
      seen.add(key);
      if (value.length < minLength || value.length > maxLength) {
        const range = maxLength === Number.MAX_SAFE_INTEGER ? `at least ${minLength}` : `${minLength} to ${maxLength}`;
        throw new InputError(name, `${where}: the value of ${quote(key)} must be ${range} characters long; it has ${value.length}.`);
      }
      return { name: key, value };
    });
  }
}
