/**
 * The mechanical half of a renamed option: rewrite the key in `.projenrc.ts` so the file says what the
 * new version calls it. Pure: source text in, source text out. Uses the TypeScript parser (not a regex)
 * so only the key under `service: { … }` at that path is touched, and comments and layout stay as written.
 *
 * When the key cannot be found literally (the value comes from a spread or a variable), nothing is
 * rewritten and the caller reports the edit to make; the spec still applies the rename in memory.
 */
import type * as TS from 'typescript';
import { Deprecation, renameEdit } from '../spec/deprecations';

/** Loaded on first use: the compiler takes seconds to load, and check:platform and most upgrades never need it. */
let compiler: typeof TS | undefined;
function typescript(): typeof TS {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  compiler ??= require('typescript') as typeof TS;
  return compiler;
}

export type RenameResult =
  | { readonly kind: 'renamed'; readonly text: string; readonly line: number }
  | { readonly kind: 'absent' }
  | { readonly kind: 'manual'; readonly edit: string };

function keyName(name: TS.PropertyName): string | undefined {
  const ts = typescript();
  if (ts.isIdentifier(name) || ts.isStringLiteral(name)) return name.text;
  return undefined;
}

function property(obj: TS.ObjectLiteralExpression, key: string): TS.PropertyAssignment | undefined {
  const ts = typescript();
  return obj.properties.find((p): p is TS.PropertyAssignment => ts.isPropertyAssignment(p) && keyName(p.name) === key);
}

/** Every `service: { … }` object literal in the file (normally one, in `new SlipwayProject({ service })`). */
function serviceObjects(file: TS.SourceFile): TS.ObjectLiteralExpression[] {
  const ts = typescript();
  const found: TS.ObjectLiteralExpression[] = [];
  const visit = (node: TS.Node): void => {
    if (ts.isPropertyAssignment(node) && keyName(node.name) === 'service' && ts.isObjectLiteralExpression(node.initializer)) found.push(node.initializer);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

export function renameInProjenrc(text: string, d: Deprecation & { renamedTo: string }): RenameResult {
  const ts = typescript();
  const from = d.option.split('.');
  const to = d.renamedTo.split('.');
  const file = ts.createSourceFile('.projenrc.ts', text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const services = serviceObjects(file);
  const sameParent = from.length === to.length && from.slice(0, -1).every((k, i) => k === to[i]);
  for (const service of services) {
    let obj: TS.ObjectLiteralExpression | undefined = service;
    for (const key of from.slice(0, -1)) {
      const next: TS.Expression | undefined = obj ? property(obj, key)?.initializer : undefined;
      obj = next && ts.isObjectLiteralExpression(next) ? next : undefined;
    }
    const target = obj ? property(obj, from[from.length - 1]) : undefined;
    if (!target) continue;
    if (!sameParent) return { kind: 'manual', edit: renameEdit(d) };
    const start = target.name.getStart(file);
    const end = target.name.getEnd();
    const newKey = to[to.length - 1];
    const written = ts.isStringLiteral(target.name) ? `'${newKey}'` : newKey;
    return { kind: 'renamed', text: text.slice(0, start) + written + text.slice(end), line: file.getLineAndCharacterOfPosition(start).line + 1 };
  }
  // Not written literally; whether the option is set at all only the spec can tell (it renames it in memory).
  return services.length === 0 ? { kind: 'manual', edit: renameEdit(d) } : { kind: 'absent' };
}
