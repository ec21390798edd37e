/**
 * Validation problems are collected, never thrown one at a time, so a user
 * sees every mistake in `.projenrc.ts` in a single run.
 */

/** One thing wrong with the options, located by its option path. */
export interface SpecProblem {
  /** Where in the options, e.g. `service.network.publicSubnets[1]`. */
  readonly path: string;
  /** What was wrong and what to write instead; it quotes the offending value. */
  readonly message: string;
}

export class SpecValidationError extends Error {
  static render(problems: readonly SpecProblem[]): string {
    const noun = problems.length === 1 ? 'problem' : 'problems';
    const lines = problems.map((p) => `  - ${p.path}: ${p.message}`);
    return [
      `Slipway found ${problems.length} ${noun} in the service options (.projenrc.ts); nothing was written:`,
      ...lines,
    ].join('\n');
  }

  constructor(readonly problems: readonly SpecProblem[]) {
    super(SpecValidationError.render(problems));
    this.name = 'SpecValidationError';
  }
}

/** Accumulates problems while the validator walks the options. */
export class Problems {
  private readonly items: SpecProblem[] = [];

  add(path: string, message: string): void {
    this.items.push({ path, message });
  }

  /** Everything found so far, in the order found. */
  list(): readonly SpecProblem[] {
    return [...this.items];
  }

  get count(): number {
    return this.items.length;
  }

  /** Throws one error listing everything found, if anything was. */
  throwIfAny(): void {
    if (this.items.length > 0) {
      throw new SpecValidationError([...this.items]);
    }
  }
}

/** Renders any value the way a user would have written it in `.projenrc.ts`. */
export function quote(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value === undefined) return 'undefined';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
