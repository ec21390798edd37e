/**
 * Renders an AssemblyDiff as Markdown for a GitHub job summary, in the
 * `[+] [-] [~]` vocabulary of `cdk diff`; with stages, a section per stage
 * holding that stage's stacks, in promotion order. Pure.
 */
import { AssemblyDiff, ChangeKind, NamedChange, ResourceChange, StackDiff, StageDiff, ValueChange, groupByStage, totals } from './template-diff';

const MARK: Readonly<Record<ChangeKind, string>> = { added: '[+]', removed: '[-]', modified: '[~]' };
/** Long values (policy documents, user data) are cut so the summary stays readable. */
const MAX_VALUE_CHARS = 160;
/** GitHub caps a step summary at 1 MiB; stop listing property changes well before that. */
const MAX_PROPERTY_LINES_PER_STACK = 200;

export interface RenderLabels {
  readonly base: string;
  readonly head: string;
}

/** `stageOf` maps a stack to its stage; empty (an assembly of no Slipway stage), the stacks are listed as one. */
export function renderDiffMarkdown(diff: AssemblyDiff, labels: RenderLabels, stageOf: ReadonlyMap<string, string> = new Map()): string {
  const t = totals(diff);
  const lines = [`## Infrastructure diff: ${code(labels.head)} against ${code(labels.base)}`, ''];
  if (t.stacksChanged === 0) {
    lines.push(`No infrastructure changes: the templates of ${diff.stacks.length} stack${diff.stacks.length === 1 ? '' : 's'} are identical.`, '');
    return lines.join('\n');
  }
  lines.push(
    `${t.stacksChanged} stack${t.stacksChanged === 1 ? '' : 's'} changed: ${t.added} resource${t.added === 1 ? '' : 's'} added, ${t.removed} removed, ${t.modified} modified.`,
    '',
  );
  if (t.securityRelevant > 0) lines.push(`> [!WARNING]\n> ${t.securityRelevant} change${t.securityRelevant === 1 ? ' touches' : 's touch'} IAM, security groups, network ACLs or resource policies: review them below.`, '');
  if (t.mayReplace > 0) lines.push(`> [!CAUTION]\n> ${t.mayReplace} resource${t.mayReplace === 1 ? '' : 's'} may be replaced (deleted and created again): see "may replace".`, '');
  if (stageOf.size === 0) {
    for (const stack of diff.stacks.filter((s) => s.kind !== 'unchanged')) lines.push(...renderStack(stack, '###'));
  } else {
    for (const group of groupByStage(diff, stageOf)) lines.push(...renderStage(group));
  }
  lines.push('_Computed offline from the synthesized templates; `cdk diff` against the account is the authority on replacements._', '');
  return lines.join('\n');
}

function renderStage(group: StageDiff): string[] {
  const t = totals({ stacks: group.stacks });
  const title = group.stage === undefined ? 'Stacks of no stage' : `Stage ${code(group.stage)}`;
  const n = group.stacks.length;
  if (t.stacksChanged === 0) return [`### ${title}: no changes (${n} stack${n === 1 ? '' : 's'})`, ''];
  const lines = [
    `### ${title}: ${t.stacksChanged} of ${n} stack${n === 1 ? '' : 's'} changed, ${t.added} added, ${t.removed} removed, ${t.modified} modified` +
      `${t.securityRelevant > 0 ? `, ${t.securityRelevant} security-relevant` : ''}${t.mayReplace > 0 ? `, ${t.mayReplace} may replace` : ''}`,
    '',
  ];
  for (const stack of group.stacks.filter((s) => s.kind !== 'unchanged')) lines.push(...renderStack(stack, '####'));
  return lines;
}

function renderStack(stack: StackDiff, heading: '###' | '####'): string[] {
  const lines = [`${heading} ${code(stack.stack)} (${stack.kind})`, ''];
  if (stack.resources.length > 0) {
    lines.push('| | logical id | type | notes |', '|---|---|---|---|');
    for (const r of stack.resources) lines.push(`| ${MARK[r.kind]} | ${code(r.logicalId)} | ${code(r.type)} | ${notes(r)} |`);
    lines.push('');
  }
  const named = [...stack.outputs.map((o) => ({ section: 'Output', o })), ...stack.parameters.map((o) => ({ section: 'Parameter', o }))];
  for (const { section, o } of named) lines.push(`- ${MARK[o.kind]} ${section} ${code(o.name)}${namedDetail(o)}`);
  if (named.length > 0) lines.push('');
  const details = stack.resources.filter((r) => r.changes.length > 0).flatMap((r) => r.changes.map((c) => propertyLine(r, c)));
  if (details.length > 0) {
    const shown = details.slice(0, MAX_PROPERTY_LINES_PER_STACK);
    const more = details.length - shown.length;
    lines.push(
      '<details><summary>Property changes</summary>',
      '',
      '```diff',
      ...shown,
      ...(more > 0 ? [`# … and ${more} more`] : []),
      '```',
      '</details>',
      '',
    );
  }
  return lines;
}

function notes(r: ResourceChange): string {
  const parts: string[] = [];
  if (r.securityRelevant) parts.push('security');
  if (r.replacedBy.length > 0) parts.push(`may replace (${r.replacedBy.join(', ')})`);
  return parts.join('; ');
}

function namedDetail(o: NamedChange): string {
  if (o.kind === 'modified') return `: ${value(o.before)} → ${value(o.after)}`;
  return '';
}

function propertyLine(r: ResourceChange, c: ValueChange): string {
  const where = `${r.logicalId}.${c.path}`;
  // In a ```diff block, '-' and '+' lines are coloured; '!' marks an in-place change.
  if (c.before === undefined) return `+ ${where}: ${value(c.after)}`;
  if (c.after === undefined) return `- ${where}: ${value(c.before)}`;
  return `! ${where}: ${value(c.before)} → ${value(c.after)}`;
}

function value(v: unknown): string {
  const text = JSON.stringify(v) ?? 'undefined';
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}
