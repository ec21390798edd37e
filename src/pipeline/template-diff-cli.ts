/**
 * `tsx src/pipeline/template-diff-cli.ts --base <cdk.out> --head <cdk.out>
 *   [--base-label main] [--head-label my-branch] [--base-spec <spec.json>] [--head-spec <spec.json>] [--output <file>]`
 *
 * Compares two synthesized cloud assemblies offline and appends the Markdown
 * report to --output (the job summary in CI) or prints it; with the two sides'
 * spec files, a section per stage (the head's stages in order, then stages only
 * the base has). Prints one line of
 * totals, and a warning annotation when security-relevant changes are present.
 */
import { appendFileSync } from 'fs';
import { readAssemblyTemplates } from './cloud-assembly';
import { readStackStages } from './stack-stages';
import { diffAssemblies, totals } from './template-diff';
import { renderDiffMarkdown } from './template-diff-render';

export interface CliArgs {
  readonly base: string;
  readonly head: string;
  readonly baseLabel: string;
  readonly headLabel: string;
  readonly output?: string;
  readonly baseSpec?: string;
  readonly headSpec?: string;
}

const USAGE = 'usage: template-diff-cli --base <cdk.out dir> --head <cdk.out dir> [--base-label <name>] [--head-label <name>] ' +
  '[--base-spec <.slipway/spec.json>] [--head-spec <.slipway/spec.json>] [--output <file>]';

/** Parses argv (without node and the script); throws with the usage on anything unexpected. Pure. */
export function parseArgs(argv: readonly string[]): CliArgs {
  const known = new Set(['--base', '--head', '--base-label', '--head-label', '--output', '--base-spec', '--head-spec']);
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (!known.has(flag)) throw new Error(`unknown argument '${flag}'\n${USAGE}`);
    if (value === undefined || known.has(value)) throw new Error(`${flag} needs a value\n${USAGE}`);
    values.set(flag, value);
  }
  const base = values.get('--base');
  const head = values.get('--head');
  if (!base || !head) throw new Error(`both --base and --head are required\n${USAGE}`);
  return {
    base,
    head,
    // An empty label (e.g. github.head_ref on a push) falls back to the directory.
    baseLabel: values.get('--base-label') || base,
    headLabel: values.get('--head-label') || head,
    ...(values.get('--output') ? { output: values.get('--output') } : {}),
    ...(values.get('--base-spec') ? { baseSpec: values.get('--base-spec') } : {}),
    ...(values.get('--head-spec') ? { headSpec: values.get('--head-spec') } : {}),
  };
}

export function main(argv: readonly string[]): number {
  let args: CliArgs;
  try {
    args = parseArgs(argv);
    const diff = diffAssemblies(readAssemblyTemplates(args.base), readAssemblyTemplates(args.head));
    // A stack keeps the stage the head gives it; a stack the head removed keeps the base's.
    const headStages = args.headSpec ? readStackStages(args.headSpec) : new Map<string, string>();
    const baseStages = args.baseSpec ? readStackStages(args.baseSpec) : new Map<string, string>();
    const stageOf = new Map([...headStages, ...[...baseStages].filter(([stack]) => !headStages.has(stack))]);
    const markdown = renderDiffMarkdown(diff, { base: args.baseLabel, head: args.headLabel }, stageOf);
    if (args.output) appendFileSync(args.output, `${markdown}\n`);
    else process.stdout.write(`${markdown}\n`);
    const t = totals(diff);
    console.log(`infra diff: ${t.stacksChanged} stacks changed, ${t.added} added, ${t.removed} removed, ${t.modified} modified, ${t.securityRelevant} security-relevant, ${t.mayReplace} may replace`);
    if (t.securityRelevant > 0) console.log(`::warning title=Security-relevant infrastructure changes::${t.securityRelevant} resources change IAM, security groups, network ACLs or resource policies; see the job summary`);
    return 0;
  } catch (e) {
    console.error(`::error title=Infrastructure diff failed::${(e as Error).message.replace(/\n/g, '%0A')}`);
    return 1;
  }
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
