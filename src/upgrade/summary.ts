/**
 * The upgrade's report: printed by `npx projen upgrade-platform` and used as the pull request's body by
 * upgrade-platform.yml. Pure: markdown out.
 */
import type { ChangelogSection } from './changelog';
import type { UpgradePlan } from './plan';
import type { TemplateRef } from './record';

export interface RenameNote {
  readonly from: string;
  readonly to: string;
  readonly since: string;
  /** Rewritten in .projenrc.ts at this line, or the edit to make by hand. */
  readonly outcome: { readonly line: number } | { readonly edit: string };
}

export interface UpgradeSummary {
  readonly from: TemplateRef;
  readonly to: TemplateRef;
  readonly plan: UpgradePlan;
  readonly changelog: readonly ChangelogSection[];
  readonly renames: readonly RenameNote[];
  /** Generated files `npx projen` rewrote. */
  readonly regenerated: readonly string[];
  /** 'passed', 'skipped' (--no-checks). */
  readonly serviceChecks: 'passed' | 'skipped';
}

function label(ref: TemplateRef): string {
  const version = ref.version ?? 'unreleased';
  return ref.commit ? `${version} (${ref.commit.slice(0, 12)})` : version;
}

export function isEmptyPlan(plan: UpgradePlan): boolean {
  return plan.added.length + plan.changed.length + plan.removed.length + plan.sharedTaken.length + plan.modeChanged.length === 0;
}

export function renderSummary(s: UpgradeSummary): string {
  const rows = [
    ...s.plan.added.map((p) => `| added | \`${p}\` |`),
    ...s.plan.changed.map((p) => `| changed | \`${p}\` |`),
    ...s.plan.removed.map((p) => `| removed | \`${p}\` |`),
    ...s.plan.modeChanged.map((p) => `| mode | \`${p}\` |`),
    ...s.plan.sharedTaken.map((p) => `| taken from the template | \`${p}\` |`),
    ...s.regenerated.map((p) => `| regenerated | \`${p}\` |`),
  ];
  const counts = `${s.plan.added.length} added, ${s.plan.changed.length} changed, ${s.plan.removed.length} removed, ${s.regenerated.length} regenerated`;
  const out = [
    `## Slipway platform upgrade: ${label(s.from)} → ${label(s.to)}`,
    '',
    `Platform-owned files only (src/, actions/, ansible/, test/, .ci/, monitoring/, CHANGELOG.md) and generated files; \`.projenrc.ts\` values and \`app/\` are untouched${s.renames.length > 0 ? ' except for the option renames below' : ''}. ${counts}. Service checks (\`npx projen test:service\`): ${s.serviceChecks}.`,
    '',
    '| change | file |',
    '|---|---|',
    ...(rows.length > 0 ? rows : ['| (none) | |']),
  ];
  if (s.renames.length > 0) {
    out.push('', '### Options renamed in `.projenrc.ts`', '');
    for (const r of s.renames) {
      const how = 'line' in r.outcome ? `rewritten at line ${r.outcome.line}` : `not rewritten: ${r.outcome.edit}`;
      out.push(`- \`service.${r.from}\` → \`service.${r.to}\` (Slipway ${r.since}): ${how}`);
    }
  }
  out.push('', '### Template changelog', '');
  if (s.changelog.length === 0) out.push('(no CHANGELOG.md entries between these versions)');
  for (const c of s.changelog) out.push(`#### ${c.heading}${c.date ? ` (${c.date})` : ''}`, '', c.body || '(no entries)', '');
  return `${out.join('\n').trimEnd()}\n`;
}
