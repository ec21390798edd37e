/**
 * The infrastructure diff as a pull request comment: short, one section per
 * changed stack, and in each the resources a reviewer must read first —
 * those that may be replaced, then IAM / security group / network ACL /
 * resource-policy changes — before the rest. Property-level detail stays in
 * the job summary (renderDiffMarkdown). Pure.
 */
import { AssemblyDiff, ResourceChange, StackDiff, totals } from './template-diff';
import { RenderLabels } from './template-diff-render';

const MARK = { added: '[+]', removed: '[-]', modified: '[~]' } as const;

/** First the replacements, then security changes, then the rest; each group in template order. */
export function reviewOrder(resources: readonly ResourceChange[]): ResourceChange[] {
  const rank = (r: ResourceChange): number => (r.replacedBy.length > 0 ? 0 : r.securityRelevant ? 1 : 2);
  return resources.map((r, i) => ({ r, i })).sort((a, b) => rank(a.r) - rank(b.r) || a.i - b.i).map(({ r }) => r);
}

export interface CommentOptions extends RenderLabels {
  /** The workflow run whose job summary holds the full diff. */
  readonly runUrl?: string;
}

export function renderDiffComment(diff: AssemblyDiff, options: CommentOptions): string {
  const t = totals(diff);
  const where = options.runUrl ? `the [job summary](${options.runUrl})` : 'the job summary';
  const lines = [`## Infrastructure diff: ${code(options.head)} against ${code(options.base)}`, ''];
  if (t.stacksChanged === 0) {
    lines.push(`No infrastructure changes in ${diff.stacks.length} stack${diff.stacks.length === 1 ? '' : 's'}.`, '');
    return lines.join('\n');
  }
  lines.push(`${t.stacksChanged} stack${t.stacksChanged === 1 ? '' : 's'} changed: ${t.added} added, ${t.removed} removed, ${t.modified} modified; `
    + `**${t.mayReplace} may be replaced**, **${t.securityRelevant} security-relevant**.`, '');
  for (const stack of diff.stacks.filter((s) => s.kind !== 'unchanged')) lines.push(...renderStack(stack));
  lines.push(`_Property changes: ${where}. Computed offline from the synthesized templates; \`cdk diff\` against the account is the authority on replacements._`, '');
  return lines.join('\n');
}

function renderStack(stack: StackDiff): string[] {
  const lines = [`### ${code(stack.stack)} (${stack.kind})`, ''];
  if (stack.resources.length > 0) {
    lines.push('| | logical id | type | review |', '|---|---|---|---|');
    for (const r of reviewOrder(stack.resources)) lines.push(`| ${MARK[r.kind]} | ${code(r.logicalId)} | ${code(r.type)} | ${review(r)} |`);
    lines.push('');
  }
  const named = stack.outputs.length + stack.parameters.length;
  if (named > 0) lines.push(`${named} output/parameter change${named === 1 ? '' : 's'}.`, '');
  return lines;
}

function review(r: ResourceChange): string {
  const parts: string[] = [];
  if (r.replacedBy.length > 0) parts.push(`**may replace** (${r.replacedBy.map(code).join(', ')})`);
  if (r.securityRelevant) parts.push('**security**');
  return parts.join('; ');
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}
