/**
 * `${{ ... }}` in workflow values, for the property lookups the generated producing jobs use
 * (github.sha, vars.X, secrets.X, steps.<id>.outputs.<name>, needs.<job>.outputs.<name>). Anything else
 * (functions, operators) throws, so a job the model cannot read fails the test instead of passing it.
 * A missing property is '' as in the runner (https://docs.github.com/en/actions/reference/evaluate-expressions-in-workflows-and-actions).
 */

export type Contexts = Readonly<Record<string, unknown>>;

const PROPERTY_PATH = /^[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*)*$/;

export function evaluatePath(expression: string, contexts: Contexts): string {
  const path = expression.trim();
  if (!PROPERTY_PATH.test(path)) throw new Error(`expression '\${{ ${path} }}' is not a property lookup; the workflow model evaluates only those`);
  let value: unknown = contexts;
  for (const part of path.split('.')) {
    value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
  }
  return value === undefined || value === null ? '' : String(value);
}

/** Replaces every `${{ ... }}` in `text`. */
export function interpolate(text: string, contexts: Contexts): string {
  return text.replace(/\$\{\{([^}]*)\}\}/g, (_, expression: string) => evaluatePath(expression, contexts));
}

/** Every `needs.<job>.outputs.<name>` a workflow's jobs read. */
export function consumedJobOutputs(jobs: Readonly<Record<string, unknown>>): { consumer: string; job: string; output: string }[] {
  const found = new Map<string, { consumer: string; job: string; output: string }>();
  for (const [consumer, job] of Object.entries(jobs)) {
    for (const match of JSON.stringify(job).matchAll(/needs\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)/g)) {
      found.set(`${consumer}/${match[1]}/${match[2]}`, { consumer, job: match[1], output: match[2] });
    }
  }
  return [...found.values()];
}
