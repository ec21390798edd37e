/**
 * `npx projen configure-hosts [options]`: reads the generated spec and runs
 * the driver against the service's hosts. Exits non-zero when any host was
 * not configured, naming it.
 */
import { readSpecFile, selectStage } from '../spec';
import { configureHosts } from './driver';
import { realIO } from './io';
import { USAGE, UsageError, parseOptions } from './options';

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const repoRoot = process.cwd();
  const spec = selectStage(readSpecFile(repoRoot), options.stage);
  const result = await configureHosts(spec, repoRoot, options, realIO({ repoRoot }));
  return result.exitCode;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    const err = e as Error;
    process.stderr.write(`configure-hosts: ${err.message}\n`);
    process.exitCode = err instanceof UsageError ? 2 : 1;
  },
);
