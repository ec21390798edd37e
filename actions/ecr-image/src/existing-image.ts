/**
 * Tags that already exist in an IMMUTABLE repository cannot be pushed again
 * (a re-run of the job for a commit already pushed): the push fails with
 * ImageTagAlreadyExistsException / "tag invalid: ... cannot be overwritten".
 * Then the image already there is the one this run reports and gates on.
 */
import { DescribeImagesCommand, ECRClient, Repository } from '@aws-sdk/client-ecr';
import { filterMatches } from './scan-setup';
import { ActionError, awsCallError } from '../../shared';

/**
 * Whether `tag` is immutable in `repository`: IMMUTABLE, or the *_WITH_EXCLUSION
 * modes with their wildcard tag filters (matching tags are the exception).
 */
export function isTagImmutable(repository: Pick<Repository, 'imageTagMutability' | 'imageTagMutabilityExclusionFilters'>, tag: string): boolean {
  const excluded = (repository.imageTagMutabilityExclusionFilters ?? []).some((f) => f.filter !== undefined && wildcardMatches(f.filter, tag));
  switch (repository.imageTagMutability) {
    case 'IMMUTABLE': return true;
    case 'IMMUTABLE_WITH_EXCLUSION': return !excluded;
    case 'MUTABLE_WITH_EXCLUSION': return excluded;
    default: return false;
  }
}

/** Tag exclusion filters are whole-name wildcards ('*' = zero or more characters). */
function wildcardMatches(filter: string, tag: string): boolean {
  return filter.includes('*') ? filterMatches(filter, tag) : filter === tag;
}

/** The builder's words when ECR refused to overwrite an immutable tag (docker buildx, buildah, kaniko). */
const TAG_EXISTS = /ImageTagAlreadyExistsException|image tag '[^']+' already exists in the '[^']+' repository and cannot be overwritten/i;

export function isTagExistsFailure(error: unknown): boolean {
  return error instanceof Error && TAG_EXISTS.test(error.message);
}

/** The digest `tag` points at, or undefined when the repository has no such tag. */
export async function digestOfTag(ecr: ECRClient, repository: string, tag: string): Promise<string | undefined> {
  try {
    const answer = await ecr.send(new DescribeImagesCommand({ repositoryName: repository, imageIds: [{ imageTag: tag }] }));
    return answer.imageDetails?.[0]?.imageDigest;
  } catch (e) {
    if ((e as Error).name === 'ImageNotFoundException') return undefined;
    throw awsCallError('ECR DescribeImages', e);
  }
}

export interface ExistingImage {
  readonly digest: string;
  readonly tags: readonly string[];
}

/**
 * Looks up the immutable tags among `tags`. None found: undefined (build and push).
 * All found with one digest: that image (reuse it). Anything else cannot be pushed
 * and cannot be reused, so it fails saying which tag is where.
 */
export async function findExistingImage(ecr: ECRClient, repository: Repository, tags: readonly string[]): Promise<ExistingImage | undefined> {
  const name = repository.repositoryName ?? '';
  const immutable = tags.filter((t) => isTagImmutable(repository, t));
  if (immutable.length === 0) return undefined;
  const found = new Map<string, string>();
  for (const tag of immutable) {
    const digest = await digestOfTag(ecr, name, tag);
    if (digest) found.set(tag, digest);
  }
  if (found.size === 0) return undefined;
  const digests = new Set(found.values());
  const missing = tags.filter((t) => !found.has(t));
  if (digests.size > 1 || missing.length > 0) {
    const where = [...found].map(([t, d]) => `${t} → ${d}`).join(', ');
    throw new ActionError(
      `repository '${name}' is immutable and already has ${where}${missing.length > 0 ? `, but not ${missing.join(', ')}` : ''}: these tags cannot all name one image. Push under new tags (e.g. only the commit SHA), or delete the stale tags.`,
    );
  }
  return { digest: [...digests][0], tags: [...found.keys()] };
}
