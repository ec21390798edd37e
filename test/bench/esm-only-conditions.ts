/**
 * The bench loads action code with tsx as CommonJS; @actions/core v3 and
 * @actions/github v9 export an `import` condition only. This adds that
 * condition when resolving them (Node's require() then loads the ES module),
 * as test/support/esm-only-resolver.cjs does for jest.
 * https://nodejs.org/api/module.html#moduleregisterhooksoptions
 */
import * as nodeModule from 'module';

interface ResolveContext { readonly conditions: readonly string[] }
type Resolve = (specifier: string, context: ResolveContext) => unknown;
type RegisterHooks = (hooks: { resolve: (specifier: string, context: ResolveContext, next: Resolve) => unknown }) => void;
const { registerHooks } = nodeModule as unknown as { registerHooks: RegisterHooks };

registerHooks({
  resolve: (specifier, context, next) => next(specifier, specifier.startsWith('@actions/') ? { ...context, conditions: [...context.conditions, 'import'] } : context),
});
