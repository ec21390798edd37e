/**
 * Bundles every action under actions/: a directory with an action.yml gets
 * src/main.ts → dist/index.js and, when present, src/post.ts → dist/post.js
 * and src/on-demand.ts → dist/on-demand.js,
 * built by esbuild for the Node version its `runs.using` names. The task
 * discovers actions when it runs, so a new action needs no projen change.
 */
import { existsSync, readFileSync, readdirSync } from 'fs';
import { join, relative } from 'path';
import type { BuildOptions, Plugin } from 'esbuild';
import { Component, awscdk } from 'projen';
import { parse } from 'yaml';

/** Where actions live, relative to the repository root. */
export const ACTIONS_DIR = 'actions';
/** The projen task that rebuilds every bundle. */
export const BUNDLE_ACTIONS_TASK = 'bundle:actions';

/** An action's optional on-demand entry: bundled on its own, loaded by main at run time when needed. */
export const ON_DEMAND = { source: 'src/on-demand.ts', bundle: 'dist/on-demand.js' } as const;

/** One entry point of an action and the bundle it becomes. */
export interface ActionEntry {
  /** Relative to the repository root, e.g. actions/ecr-image/src/main.ts. */
  readonly source: string;
  /** Relative to the action directory, e.g. dist/index.js (as action.yml names it). */
  readonly bundle: string;
}

export interface ActionSource {
  /** The directory name, e.g. 'ecr-image'. */
  readonly name: string;
  /** Relative to the repository root, e.g. actions/ecr-image. */
  readonly dir: string;
  /** esbuild target derived from runs.using, e.g. 'node24'. */
  readonly target: string;
  readonly entries: readonly ActionEntry[];
}

interface ActionYaml {
  readonly runs?: { readonly using?: unknown; readonly main?: unknown; readonly post?: unknown };
}

/** Reads and checks one action.yml against the sources next to it; throws with what to fix. */
export function describeAction(root: string, name: string): ActionSource {
  const dir = join(ACTIONS_DIR, name);
  const file = join(dir, 'action.yml');
  const runs = (parse(readFileSync(join(root, file), 'utf8')) as ActionYaml | null)?.runs;
  const using = runs?.using;
  if (typeof using !== 'string' || !/^node\d+$/.test(using)) {
    throw new Error(`${file}: runs.using must name a Node runtime such as 'node24'; got ${JSON.stringify(using)}`);
  }
  const entries: ActionEntry[] = [];
  const pairs = [
    { key: 'main', source: 'src/main.ts', bundle: 'dist/index.js', value: runs?.main },
    { key: 'post', source: 'src/post.ts', bundle: 'dist/post.js', value: runs?.post },
  ];
  for (const pair of pairs) {
    const hasSource = existsSync(join(root, dir, pair.source));
    if (pair.key === 'main' && !hasSource) {
      throw new Error(`${dir}: every action needs ${pair.source}; add it or remove ${file}`);
    }
    if (hasSource && pair.value !== pair.bundle) {
      throw new Error(`${file}: runs.${pair.key} must be '${pair.bundle}' because ${dir}/${pair.source} exists; got ${JSON.stringify(pair.value)}`);
    }
    if (!hasSource && pair.value !== undefined) {
      throw new Error(`${file}: runs.${pair.key} is ${JSON.stringify(pair.value)} but ${dir}/${pair.source} does not exist; add the source or remove runs.${pair.key}`);
    }
    if (hasSource) entries.push({ source: join(dir, pair.source), bundle: pair.bundle });
  }
  // Code main loads only sometimes (require(join(__dirname, 'on-demand.js'))): its own bundle, so runs that
  // never need it do not parse it (e.g. Octokit and undici in the deploy action: ~5 MiB of peak memory).
  if (existsSync(join(root, dir, ON_DEMAND.source))) entries.push({ source: join(dir, ON_DEMAND.source), bundle: ON_DEMAND.bundle });
  return { name, dir, target: using, entries };
}

/** Every directory under actions/ that has an action.yml, sorted by name. */
export function discoverActions(root: string): ActionSource[] {
  const base = join(root, ACTIONS_DIR);
  if (!existsSync(base)) return [];
  return readdirSync(base, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(base, d.name, 'action.yml')))
    .map((d) => d.name)
    .sort()
    .map((name) => describeAction(root, name));
}

/**
 * Packages whose modules run nothing on import that an action needs, though
 * their package.json does not say so (no `sideEffects: false`): @actions/core
 * imports @actions/http-client (and through it undici, ~400 KB) for OIDC
 * tokens alone. Marked side-effect free, esbuild drops them from a bundle
 * that never calls into them, and keeps them where one does (@actions/github).
 * https://esbuild.github.io/api/#tree-shaking
 */
export const SIDE_EFFECT_FREE_PACKAGES = ['@actions/http-client', 'undici', 'tunnel'] as const;

/** Resolves imports of `packages` as usual, marked `sideEffects: false`. */
export function sideEffectFree(packages: readonly string[]): Plugin {
  const filter = new RegExp(`^(${packages.map((p) => p.replace(/[/.]/g, '\\$&')).join('|')})(/|$)`);
  return {
    name: 'side-effect-free',
    setup(build) {
      build.onResolve({ filter }, async (args) => {
        if ((args.pluginData as { resolving?: boolean } | undefined)?.resolving) return undefined;
        const { kind, importer, resolveDir } = args;
        const resolved = await build.resolve(args.path, { kind, importer, resolveDir, pluginData: { resolving: true } });
        if (resolved.errors.length > 0) return { errors: resolved.errors };
        return { path: resolved.path, namespace: resolved.namespace, external: resolved.external, sideEffects: false };
      });
    },
  };
}

/**
 * esbuild options for one entry, writing under `outRoot` (the repository root
 * for the committed bundle, a temp dir for the drift test). Paths are relative
 * to `root` so the output bytes do not depend on where the repo is checked out.
 */
export function bundleOptions(root: string, action: ActionSource, entry: ActionEntry, outRoot: string): BuildOptions {
  return {
    absWorkingDir: root,
    entryPoints: [entry.source],
    outfile: relative(root, join(outRoot, action.dir, entry.bundle)) || entry.bundle,
    bundle: true,
    minify: true,
    platform: 'node',
    format: 'cjs',
    target: action.target,
    // Prefer the ES module builds (the AWS SDK ships both): they tree-shake, ~35% smaller.
    mainFields: ['module', 'main'],
    sourcemap: false,
    legalComments: 'eof',
    charset: 'utf8',
    logLevel: 'warning',
    plugins: [sideEffectFree(SIDE_EFFECT_FREE_PACKAGES)],
    write: true,
  };
}

/** Registers `bundle:actions` and runs it from projen's `bundle` task. */
export class ActionBundles extends Component {
  constructor(project: awscdk.AwsCdkTypeScriptApp) {
    super(project);
    const task = project.addTask(BUNDLE_ACTIONS_TASK, {
      description: `Bundle every ${ACTIONS_DIR}/<name>/src/{main,post}.ts (or only the names given) into its committed dist/ with esbuild`,
      exec: 'tsx src/projen/bundle-actions.ts',
      receiveArgs: true,
    });
    project.tasks.tryFind('bundle')?.spawn(task);
    project.gitattributes.addAttributes(`/${ACTIONS_DIR}/*/dist/**`, 'linguist-generated');
  }
}
