/**
 * The two builders as argv plans (pure) plus the small amount of I/O that
 * runs them and reads back the pushed digest. Passwords only ever go to stdin.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { CommandRunner } from './command';
import { Builder } from './inputs';
import { RegistryLogin } from './registry';
import { ActionError, KeyValue } from '../../shared';

export interface BuildPlan {
  /** Full references, e.g. host/repo:tag; the first is the one reported as image-uri. */
  readonly refs: readonly string[];
  readonly dockerfile: string;
  readonly context: string;
  readonly buildArgs: readonly KeyValue[];
  readonly platforms: readonly string[];
  readonly push: boolean;
  /**
   * GitHub Actions cache scope for docker buildx (type=gha), when the builder can export a cache.
   * Never a registry cache: a cache tag cannot be overwritten in an IMMUTABLE repository.
   */
  readonly ghaCacheScope?: string;
  /** Plain-HTTP loopback registry: skip TLS verification (buildah). */
  readonly insecure: boolean;
  /** A private temp directory for metadata and digest files. */
  readonly workDir: string;
}

const DIGEST = /^sha256:[a-f0-9]{64}$/;

function buildArgFlags(plan: BuildPlan): string[] {
  return plan.buildArgs.flatMap((a) => ['--build-arg', `${a.name}=${a.value}`]);
}

export function loginArgv(builder: Builder, login: RegistryLogin): string[] {
  const tls = builder === 'buildah' && login.insecure ? ['--tls-verify=false'] : [];
  return [builder, 'login', '--username', login.username, '--password-stdin', ...tls, login.host];
}

export function logoutArgv(builder: Builder, host: string): string[] {
  return [builder, 'logout', host];
}

/** docker buildx: one command builds, caches (when asked and possible) and pushes; the digest lands in a metadata file. */
export function dockerBuildArgv(plan: BuildPlan): string[] {
  const cache = plan.ghaCacheScope
    ? ['--cache-from', `type=gha,scope=${plan.ghaCacheScope}`, '--cache-to', `type=gha,mode=max,scope=${plan.ghaCacheScope}`]
    : [];
  // Without attestations a single-platform push stays a plain manifest, which ECR basic scanning can scan.
  const output = plan.push ? ['--push'] : plan.platforms.length <= 1 ? ['--load'] : [];
  return [
    'docker', 'buildx', 'build',
    '--file', plan.dockerfile,
    ...plan.refs.flatMap((r) => ['--tag', r]),
    ...buildArgFlags(plan),
    ...(plan.platforms.length > 0 ? ['--platform', plan.platforms.join(',')] : []),
    ...cache,
    '--provenance=false', '--sbom=false',
    '--metadata-file', join(plan.workDir, 'metadata.json'),
    ...output,
    plan.context,
  ];
}

/** buildah: several platforms build into a manifest list; one platform into a plain image. */
export function buildahBuildArgv(plan: BuildPlan): string[] {
  const target = plan.platforms.length > 1
    ? ['--manifest', plan.refs[0], '--platform', plan.platforms.join(',')]
    : [...plan.refs.flatMap((r) => ['--tag', r]), ...(plan.platforms.length === 1 ? ['--platform', plan.platforms[0]] : [])];
  return ['buildah', 'build', '--file', plan.dockerfile, ...target, ...buildArgFlags(plan), plan.context];
}

/** One push per tag; the registry already has the blobs after the first, so the rest are cheap. */
export function buildahPushArgv(plan: BuildPlan, ref: string, digestFile: string): string[] {
  const tls = plan.insecure ? ['--tls-verify=false'] : [];
  return plan.platforms.length > 1
    ? ['buildah', 'manifest', 'push', '--all', ...tls, '--digestfile', digestFile, plan.refs[0], `docker://${ref}`]
    : ['buildah', 'push', ...tls, '--digestfile', digestFile, plan.refs[0], `docker://${ref}`];
}

function readDigest(path: string, what: string, pick: (text: string) => unknown): string {
  let digest: unknown;
  try {
    digest = pick(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ActionError(`could not read the pushed digest from ${what} (${path}): ${(e as Error).message}`);
  }
  if (typeof digest !== 'string' || !DIGEST.test(digest)) {
    throw new ActionError(`${what} did not contain a sha256 digest; found ${JSON.stringify(digest)}`);
  }
  return digest;
}

/** Builds (and pushes, when plan.push) with the chosen builder; returns the pushed digest, if any. */
export async function buildAndPush(builder: Builder, plan: BuildPlan, run: CommandRunner): Promise<string | undefined> {
  if (builder === 'docker') {
    await run(dockerBuildArgv(plan));
    if (!plan.push) return undefined;
    return readDigest(join(plan.workDir, 'metadata.json'), 'docker buildx metadata', (text) => (JSON.parse(text) as Record<string, unknown>)['containerimage.digest']);
  }
  await run(buildahBuildArgv(plan));
  if (!plan.push) return undefined;
  const digests = new Set<string>();
  for (const [index, ref] of plan.refs.entries()) {
    const file = join(plan.workDir, `digest-${index}`);
    await run(buildahPushArgv(plan, ref, file));
    digests.add(readDigest(file, 'buildah --digestfile', (text) => text.trim()));
  }
  if (digests.size !== 1) throw new ActionError(`the tags were pushed with different digests (${[...digests].join(', ')}); expected one image`);
  return [...digests][0];
}
