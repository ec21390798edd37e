/** Command-line arguments of the upgrade and release tasks. Pure; every bad argument is named with what to write. */

export interface UpgradeArgs {
  readonly source?: string;
  readonly ref?: string;
  readonly checks: boolean;
  /** Also write the summary (markdown) to this file: upgrade-platform.yml uses it as the pull request body. */
  readonly summaryFile?: string;
  /** In the template repository itself, say so and succeed instead of refusing (the generated workflow runs there too). */
  readonly ifStamped: boolean;
}

const UPGRADE_USAGE = 'usage: npx projen upgrade-platform [--source <git URL or path>] [--ref <tag|branch|commit>] [--summary <file>] [--no-checks] [--if-stamped]';

function valueOf(argv: readonly string[], i: number, flag: string, usage: string): string {
  const value = argv[i + 1];
  if (value === undefined || value.startsWith('--')) throw new Error(`${flag} needs a value; ${usage}`);
  return value;
}

export function parseUpgradeArgs(argv: readonly string[]): UpgradeArgs {
  let source: string | undefined;
  let ref: string | undefined;
  let summaryFile: string | undefined;
  let checks = true;
  let ifStamped = false;
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const take = (): string => {
      if (inline !== undefined) return inline;
      const v = valueOf(argv, i, flag, UPGRADE_USAGE);
      i++;
      return v;
    };
    if (flag === '--source') source = take();
    else if (flag === '--ref') ref = take();
    else if (flag === '--summary') summaryFile = take();
    else if (flag === '--no-checks' && inline === undefined) checks = false;
    else if (flag === '--if-stamped' && inline === undefined) ifStamped = true;
    else throw new Error(`unknown argument '${argv[i]}'; ${UPGRADE_USAGE}`);
  }
  // git would read a leading '-' as an option (e.g. --upload-pack=…), whatever the value came from.
  for (const [name, value] of [['--source', source], ['--ref', ref]] as const) {
    if (value?.startsWith('-')) throw new Error(`${name} '${value}' starts with '-': write a git URL, path, tag, branch or commit`);
  }
  return { ...(source ? { source } : {}), ...(ref ? { ref } : {}), ...(summaryFile ? { summaryFile } : {}), checks, ifStamped };
}

export interface ReleaseArgs {
  /** An exact version 'X.Y.Z', or a bump of the newest release tag. */
  readonly version: string | { readonly bump: 'major' | 'minor' | 'patch' };
  readonly source?: string;
}

const RELEASE_USAGE = 'usage: npx projen release-platform <X.Y.Z | major | minor | patch> [--source <git URL users fetch upgrades from>]';

export function parseReleaseArgs(argv: readonly string[]): ReleaseArgs {
  let version: ReleaseArgs['version'] | undefined;
  let source: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--source') {
      source = valueOf(argv, i, arg, RELEASE_USAGE);
      i++;
    } else if (arg === 'major' || arg === 'minor' || arg === 'patch') {
      version = { bump: arg };
    } else if (/^v?\d+\.\d+\.\d+$/.test(arg)) {
      version = arg.replace(/^v/, '');
    } else {
      throw new Error(`'${arg}' is not a version: write X.Y.Z (e.g. 1.2.0) or major, minor or patch; ${RELEASE_USAGE}`);
    }
  }
  if (version === undefined) throw new Error(`which version? ${RELEASE_USAGE}`);
  return { version, ...(source ? { source } : {}) };
}
