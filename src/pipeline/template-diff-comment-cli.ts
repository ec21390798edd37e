/**
 * `tsx src/pipeline/template-diff-comment-cli.ts --base <cdk.out> --head <cdk.out>
 *   [--base-label main] [--head-label my-branch] --output <file>`
 *
 * Writes the pull request comment for the infrastructure diff (replacements
 * and security changes first, per stack) to --output, for actions/pr-comment
 * to post. Same arguments as template-diff-cli; the job summary keeps the
 * full diff from that one.
 */
import { writeFileSync } from 'fs';
import { readAssemblyTemplates } from './cloud-assembly';
import { diffAssemblies } from './template-diff';
import { parseArgs } from './template-diff-cli';
import { renderDiffComment } from './template-diff-comment';

/** The run's page, from the runner's variables; undefined outside a runner. */
export function runUrl(env: NodeJS.ProcessEnv): string | undefined {
  if (!env.GITHUB_REPOSITORY || !env.GITHUB_RUN_ID) return undefined;
  return `${env.GITHUB_SERVER_URL ?? 'https://github.com'}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`;
}

export function main(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): number {
  try {
    const args = parseArgs(argv);
    if (!args.output) throw new Error('--output <file> is required: the comment body is written there for actions/pr-comment');
    const diff = diffAssemblies(readAssemblyTemplates(args.base), readAssemblyTemplates(args.head));
    writeFileSync(args.output, renderDiffComment(diff, { base: args.baseLabel, head: args.headLabel, runUrl: runUrl(env) }));
    return 0;
  } catch (e) {
    console.error(`::error title=Infrastructure diff comment failed::${(e as Error).message.replace(/\n/g, '%0A')}`);
    return 1;
  }
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
