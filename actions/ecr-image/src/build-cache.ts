/**
 * The build cache: 'none', or the GitHub Actions cache (type=gha) when the
 * buildx builder's driver can export one. The hosted runner's default builder
 * uses the `docker` driver, which cannot ("Cache export is not supported for
 * the docker driver", https://docs.docker.com/build/cache/backends/): then the
 * build runs without a cache and says so, never failing for it.
 */
import { CommandRunner } from './command';
import { Builder } from './inputs';
import { Runner } from '../../shared';

export const CACHE_MODES = ['none', 'gha'] as const;
export type CacheMode = (typeof CACHE_MODES)[number];

/** buildx drivers that can export a cache (https://docs.docker.com/build/builders/drivers/). */
export const CACHE_EXPORTING_DRIVERS = ['docker-container', 'kubernetes', 'remote'] as const;

/** The `Driver:` line of `docker buildx inspect` (the current builder). */
export function parseBuildxDriver(inspectOutput: string): string | undefined {
  return /^Driver:\s*(\S+)/m.exec(inspectOutput)?.[1];
}

export type CacheDecision = { readonly use: true; readonly scope: string } | { readonly use: false; readonly why?: string };

/** Pure: whether to pass --cache-from/--cache-to, and why not when asked but impossible. */
export function decideCache(mode: CacheMode, builder: Builder, driver: string | undefined, env: NodeJS.ProcessEnv, scope: string): CacheDecision {
  if (mode === 'none') return { use: false };
  if (builder === 'buildah') return { use: false, why: "cache 'gha' is for docker buildx; buildah builds without it" };
  if (!driver) return { use: false, why: "cache 'gha' skipped: could not tell the buildx builder's driver from 'docker buildx inspect'" };
  if (!(CACHE_EXPORTING_DRIVERS as readonly string[]).includes(driver)) {
    return {
      use: false,
      why: `cache 'gha' skipped: the buildx builder uses the '${driver}' driver, which cannot export a cache; set one up with docker/setup-buildx-action (docker-container driver) before this step to use the cache`,
    };
  }
  // buildx's gha backend reads these; the runner sets them for JavaScript actions (actions/runner NodeScriptActionHandler).
  if (!env.ACTIONS_RUNTIME_TOKEN || !(env.ACTIONS_CACHE_URL || env.ACTIONS_RESULTS_URL)) {
    return { use: false, why: "cache 'gha' skipped: ACTIONS_RUNTIME_TOKEN and ACTIONS_CACHE_URL/ACTIONS_RESULTS_URL are not set (not running on a GitHub Actions runner?)" };
  }
  return { use: true, scope };
}

/** Asks buildx for its driver (docker only, cache gha only), then decides; problems become a warning, never a failure. */
export async function planCache(mode: CacheMode, builder: Builder, scope: string, commands: CommandRunner, runner: Pick<Runner, 'warning' | 'notice'>, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  let driver: string | undefined;
  if (mode === 'gha' && builder === 'docker') {
    try {
      driver = parseBuildxDriver((await commands(['docker', 'buildx', 'inspect'])).stdout);
    } catch (e) {
      runner.warning(`'docker buildx inspect' failed, so the build runs without a cache: ${(e as Error).message}`);
      return undefined;
    }
  }
  const decision = decideCache(mode, builder, driver, env, scope);
  if (decision.use) return decision.scope;
  if (decision.why) (builder === 'buildah' ? runner.notice : runner.warning).call(runner, decision.why);
  return undefined;
}
