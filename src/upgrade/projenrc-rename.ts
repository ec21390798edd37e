/**
 * The mechanical half of a renamed option: rewrite the key in `.projenrc.ts` so the file says what the
 * new version calls it. Pure: source text in, source text out. Uses the TypeScript parser (not a regex)
 * so only the key under `service: { … }` at that path is touched, and comments and layout stay as written.
 *
 * When the key cannot be found literally (the value comes from a spread or a variable), nothing is
 * rewritten and the caller reports the edit to make; the spec still applies the rename in memory.
 */
import * as ts from 'typescript';
import { Deprecation, renameEdit } from '../spec/deprecations';

export type RenameResult =
  | { readonly kind: 'renamed'; readonly text: string; readonly line: number }
  | { readonly kind: 'absent' }
  | { readonly kind: 'manual'; readonly edit: string };

function keyName(name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name)) return name.text;
  return undefined;
}

function property(obj: ts.ObjectLiteralExpression, key: string): ts.PropertyAssignment | undefined {
  return obj.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && keyName(p.name) === key);
}

/** Every `service: { … }` object literal in the file (normally one, in `new SlipwayProject({ service })`). */
function serviceObjects(file: ts.SourceFile): ts.ObjectLiteralExpression[] {
  const found: ts.ObjectLiteralExpression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAssignment(node) && keyName(node.name) === 'service' && ts.isObjectLiteralExpression(node.initializer)) found.push(node.initializer);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

export function renameInProjenrc(text: string, d: Deprecation & { renamedTo: string }): RenameResult {
  const from = d.option.split('.');
  const to = d.renamedTo.split('.');
  const file = ts.createSourceFile('.projenrc.ts', text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const services = serviceObjects(file);
  const sameParent = from.length === to.length && from.slice(0, -1).every((k, i) => k === to[i]);
  for (const service of services) {
    let obj: ts.ObjectLiteralExpression | undefined = service;
    for (const key of from.slice(0, -1)) {
      const next: ts.Expression | undefined = obj ? property(obj, key)?.initializer : undefined;
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
