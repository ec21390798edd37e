/**
 * A small, pure evaluator of the IAM condition operators our trust policies use, so tests can ask
 * "would this token be let in?" of the synthesized policy. Semantics from the IAM condition reference
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html,
 * .../reference_policies_condition-logic-multiple-context-keys-or-values.html):
 * - every operator block and every key in it must hold (AND);
 * - a key with several values holds when the request's value matches any of them (OR);
 * - a key absent from the request makes the operator false (no ...IfExists here);
 * - condition keys are case-insensitive, values case-sensitive;
 * - StringLike: `*` any run of characters, `?` one character, everything else literal.
 * Any other operator throws: the evaluator never guesses.
 */

export type ConditionBlock = Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
export type RequestContext = Readonly<Record<string, string>>;

const OPERATORS = {
  StringEquals: (actual: string, expected: string) => actual === expected,
  StringLike: (actual: string, pattern: string) => likeToRegExp(pattern).test(actual),
} as const;

function likeToRegExp(pattern: string): RegExp {
  const body = [...pattern].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`, 's');
}

function lookup(context: RequestContext, key: string): string | undefined {
  const wanted = key.toLowerCase();
  const found = Object.keys(context).find((k) => k.toLowerCase() === wanted);
  return found === undefined ? undefined : context[found];
}

/** True when `context` satisfies every condition in `conditions`. */
export function conditionsAllow(conditions: ConditionBlock, context: RequestContext): boolean {
  return Object.entries(conditions).every(([operator, keys]) => {
    if (!(operator in OPERATORS)) {
      throw new Error(`condition operator '${operator}' is not modelled; supported: ${Object.keys(OPERATORS).join(', ')}`);
    }
    const match = OPERATORS[operator as keyof typeof OPERATORS];
    return Object.entries(keys).every(([key, expected]) => {
      const actual = lookup(context, key);
      if (actual === undefined) return false;
      const values: readonly string[] = typeof expected === 'string' ? [expected] : expected;
      return values.some((value) => match(actual, value));
    });
  });
}
