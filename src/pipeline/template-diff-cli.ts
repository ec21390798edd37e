/**
 * `tsx src/pipeline/template-diff-cli.ts --base <cdk.out> --head <cdk.out>
 *   [--base-label main] [--head-label my-branch] [--output <file>]`
 *
 * Compares two synthesized cloud assemblies offline and appends the Markdown
 * report to --output (the job summary in CI) or prints it, a section per stage
 * (the head's stages in order, then stages only the base has). Prints one line of
 * totals, and a warning annotation when security-relevant changes are present.
 */
import { appendFileSync } from 'fs';
import { readAssembly } from './cloud-assembly';
import { diffAssemblies, totals } from './template-diff';
import { renderDiffMarkdown } from './template-diff-render';

export interface CliArgs {
  readonly base: string;
  readonly head: string;
  readonly baseLabel: string;
  readonly headLabel: string;
  readonly output?: string;
}

const USAGE = 'usage: template-diff-cli --base <cdk.out dir> --head <cdk.out dir> [--base-label <name>] [--head-label <name>] [--output <file>]';

/** Parses argv (without node and the script); throws with the usage on anything unexpected. Pure. */
export function parseArgs(argv: readonly string[]): CliArgs {
  const known = new Set(['--base', '--head', '--base-label', '--head-label', '--output']);
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
  };
}

export function main(argv: readonly string[]): number {
  let args: CliArgs;
  try {
    args = parseArgs(argv);
    const base = readAssembly(args.base);
    const head = readAssembly(args.head);
    const diff = diffAssemblies(base.templates, head.templates);
    // A stack keeps the stage the head gives it; a stack the head removed keeps the base's.
    const stageOf = new Map([...head.stages, ...[...base.stages].filter(([stack]) => !head.stages.has(stack))]);
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
