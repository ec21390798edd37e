/**
 * Entry points of the tasks in .projen/tasks.json: `tsx src/upgrade/cli.ts <check|upgrade|release> [args]`.
 * Errors end the process with the message alone and status 1.
 */
import { writeFileSync } from 'fs';
import { resolve } from 'path';
import { readSpecFile } from '../spec';
import { parseReleaseArgs, parseUpgradeArgs } from './args';
import { checkPlatformFiles } from './check';
import { releasePlatform } from './release';
import { upgradePlatform } from './upgrade';

function main(argv: readonly string[]): number {
  const [command, ...rest] = argv;
  const root = process.cwd();
  if (command === 'check') {
    if (rest.length > 0) throw new Error(`check:platform takes no arguments, got ${rest.join(' ')}`);
    const { github } = readSpecFile(root);
    const result = checkPlatformFiles(root, `${github.owner}/${github.repo}`);
    (result.ok ? process.stdout : process.stderr).write(`${result.message}\n`);
    return result.ok ? 0 : 1;
  }
  if (command === 'upgrade') {
    const args = parseUpgradeArgs(rest);
    const result = upgradePlatform({ root, source: args.source, ref: args.ref, checks: args.checks, ifStamped: args.ifStamped });
    process.stdout.write(`\n${result.summary}`);
    if (args.summaryFile) writeFileSync(resolve(root, args.summaryFile), result.summary);
    return 0;
  }
  if (command === 'release') {
    const result = releasePlatform(root, parseReleaseArgs(rest));
    process.stdout.write(`Released ${result.tag} at ${result.commit}. Push it: git push --follow-tags\n`);
    return 0;
  }
  throw new Error(`unknown command '${command ?? ''}': write check, upgrade or release`);
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exitCode = 1;
}
