/** The image action's inputs, parsed and validated (secrets masked) before any call or command. */
import { CACHE_MODES, CacheMode } from './build-cache';
import { InputError, Inputs, KeyValue } from '../../shared';

export const BUILDERS = ['docker', 'buildah'] as const;
export type Builder = (typeof BUILDERS)[number];

export const REGISTRIES = ['ecr', 'dockerhub'] as const;
export type RegistryKind = (typeof REGISTRIES)[number];

export const THRESHOLDS = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'NONE'] as const;
export type Threshold = (typeof THRESHOLDS)[number];

export interface ImageInputs {
  readonly repository: string;
  readonly context: string;
  readonly dockerfile: string;
  readonly tags: readonly string[];
  readonly buildArgs: readonly KeyValue[];
  readonly platforms: readonly string[];
  readonly builder: Builder;
  /** Build cache. @default 'none' */
  readonly cache: CacheMode;
  readonly push: boolean;
  readonly registry: RegistryKind;
  /** Docker Hub credentials; undefined for ECR (its token comes from the API). */
  readonly credentials?: { readonly username: string; readonly password: string };
  readonly threshold: Threshold;
  readonly scanTimeoutMinutes: number;
  readonly ignoreCves: ReadonlySet<string>;
}

/** Docker's tag grammar: up to 128 of [A-Za-z0-9_.-], not starting with '.' or '-'. */
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
/** Docker's repository path grammar: lowercase components separated by '/'. */
const REPOSITORY = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const PLATFORM = /^[a-z0-9]+\/[a-z0-9_]+(?:\/[a-z0-9]+)?$/;
const VULNERABILITY_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;

function readTags(inputs: Inputs, env: NodeJS.ProcessEnv): string[] {
  const tags = inputs.lines('tags');
  if (tags.length === 0) {
    const sha = env.GITHUB_SHA;
    if (!sha) throw new InputError('tags', "input 'tags' is empty and GITHUB_SHA is not set, so there is no default tag. Give at least one tag, e.g. 'tags: latest'.");
    return [sha];
  }
  for (const tag of tags) {
    if (!TAG.test(tag)) {
      throw new InputError('tags', `input 'tags' has '${tag}', which is not a valid image tag: use up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'.`);
    }
  }
  return [...new Set(tags)];
}

function readPlatforms(inputs: Inputs): string[] {
  const platforms = inputs.lines('platforms').flatMap((line) => line.split(',')).map((p) => p.trim()).filter(Boolean);
  for (const p of platforms) {
    if (!PLATFORM.test(p)) throw new InputError('platforms', `input 'platforms' has '${p}'; write os/arch[/variant], e.g. linux/amd64 or linux/arm64.`);
  }
  return platforms;
}

function readThreshold(inputs: Inputs, registry: RegistryKind, push: boolean): Threshold {
  const given = inputs.optional('scan-severity-threshold') !== undefined;
  const threshold = inputs.enumeration('scan-severity-threshold', THRESHOLDS, registry === 'dockerhub' || !push ? 'NONE' : 'HIGH');
  // Never a silent pass of a gate the user asked for.
  if (given && threshold !== 'NONE' && registry === 'dockerhub') {
    throw new InputError('scan-severity-threshold', `input 'scan-severity-threshold' is ${threshold}, but Docker Hub images are not scanned by this action. Set 'scan-severity-threshold: NONE' with 'registry: dockerhub', or push to ECR.`);
  }
  if (given && threshold !== 'NONE' && !push) {
    throw new InputError('scan-severity-threshold', `input 'scan-severity-threshold' is ${threshold}, but 'push' is false: only a pushed image is scanned. Set 'push: true' or 'scan-severity-threshold: NONE'.`);
  }
  return threshold;
}

function readCredentials(inputs: Inputs, registry: RegistryKind): ImageInputs['credentials'] {
  // Masked first, whatever else is wrong with the inputs.
  const password = inputs.secret('registry-password');
  const username = inputs.optional('registry-username');
  if (registry === 'ecr') {
    if (password !== undefined || username !== undefined) {
      throw new InputError(password !== undefined ? 'registry-password' : 'registry-username', "inputs 'registry-username' and 'registry-password' are for 'registry: dockerhub'; ECR logins use a token from the AWS credentials. Remove them.");
    }
    return undefined;
  }
  return {
    username: inputs.required('registry-username'),
    password: password ?? inputs.secret('registry-password', { required: true }),
  };
}

export function readImageInputs(inputs: Inputs, env: NodeJS.ProcessEnv): ImageInputs {
  const registry = inputs.enumeration('registry', REGISTRIES, 'ecr');
  const credentials = readCredentials(inputs, registry);
  const repository = inputs.required('repository');
  if (!REPOSITORY.test(repository) || repository.length > 256) {
    throw new InputError('repository', `input 'repository' must be a lowercase repository name such as 'my-service' or 'my-org/my-service'; got '${repository}'.`);
  }
  const context = inputs.string('context', '.');
  const push = inputs.boolean('push', true);
  const ignoreCves = inputs.lines('ignore-cves');
  for (const id of ignoreCves) {
    if (!VULNERABILITY_ID.test(id)) throw new InputError('ignore-cves', `input 'ignore-cves' has '${id}', which is not a vulnerability id such as CVE-2024-12345.`);
  }
  return {
    repository,
    context,
    dockerfile: inputs.string('dockerfile', `${context.replace(/\/+$/, '')}/Dockerfile`),
    tags: readTags(inputs, env),
    buildArgs: inputs.keyValues('build-args'),
    platforms: readPlatforms(inputs),
    builder: inputs.enumeration('builder', BUILDERS, 'docker'),
    cache: inputs.enumeration('cache', CACHE_MODES, 'none'),
    push,
    registry,
    credentials,
    threshold: readThreshold(inputs, registry, push),
    scanTimeoutMinutes: inputs.integer('scan-timeout-minutes', { default: 30, min: 1, max: 360 }),
    ignoreCves: new Set(ignoreCves.map((id) => id.toUpperCase())),
  };
}
