/**
 * Finishing touches on a generated workflow file that projen's GithubWorkflow
 * has no option for: a least-privilege default `permissions` block, the
 * top-level keys in the order people read them, and the version comment next
 * to every SHA-pinned action.
 */
import type { IResolver, github } from 'projen';
import { commentPinnedVersions } from './pinned-actions';

/** Top-level keys in reading order; anything else keeps its place after these. */
const TOP_LEVEL_ORDER = ['name', 'run-name', 'on', 'permissions', 'concurrency', 'env', 'defaults', 'jobs'];

/** Reorders the top-level blocks of a YAML document written by projen (block style, keys at column 0). Pure. */
export function orderTopLevelKeys(yamlText: string, order: readonly string[] = TOP_LEVEL_ORDER): string {
  const lines = yamlText.split('\n');
  const header: string[] = [];
  const blocks: { key: string; lines: string[] }[] = [];
  for (const line of lines) {
    const key = /^([A-Za-z_][A-Za-z0-9_-]*):/.exec(line)?.[1];
    if (key !== undefined) blocks.push({ key, lines: [line] });
    else if (blocks.length === 0) header.push(line);
    else blocks[blocks.length - 1].lines.push(line);
  }
  // The last block carries the file's trailing newline; keep it at the end whatever moves.
  const trailing: string[] = [];
  const last = blocks[blocks.length - 1];
  while (last && last.lines.length > 1 && last.lines[last.lines.length - 1] === '') trailing.push(last.lines.pop()!);
  const rank = (key: string) => (order.includes(key) ? order.indexOf(key) : order.length);
  const sorted = blocks.map((b, i) => ({ ...b, i })).sort((a, b) => rank(a.key) - rank(b.key) || a.i - b.i);
  return [...header, ...sorted.flatMap((b) => b.lines), ...trailing].join('\n');
}

/**
 * Applies the finishing touches to `workflow`'s file. projen serialises YAML
 * from JSON, so comments can only be added to the text it produces: we wrap
 * the file's own rendering rather than write the file a second time.
 */
export function finishWorkflowFile(workflow: github.GithubWorkflow): void {
  const file = workflow.file;
  if (!file) {
    throw new Error(`workflow '${workflow.name}' has no file: GitHub workflows are disabled on this project; keep 'github: true' in SlipwayProject`);
  }
  file.addOverride('permissions', { contents: 'read' });
  // synthesizeContent is protected in YamlFile; the wrapper calls it unchanged and only post-processes the text.
  const rendering = file as unknown as { synthesizeContent(resolver: IResolver): string | undefined };
  const render = rendering.synthesizeContent.bind(file);
  const finished = (resolver: IResolver): string | undefined => {
    const text = render(resolver);
    return text === undefined ? undefined : commentPinnedVersions(orderTopLevelKeys(text));
  };
  Object.defineProperty(file, 'synthesizeContent', { value: finished });
}
