/**
 * What to post, decided from the inputs and the run's event alone (pure):
 * the pull request, and the body with its hidden marker, or why not to post.
 */
import { ActionError } from '../../shared';

/** GitHub rejects an issue comment body over 65,536 characters; leave room for the marker and the note. */
export const MAX_BODY_CHARS = 65_000;

export interface CommentTarget {
  readonly owner: string;
  readonly repo: string;
  readonly number: number;
}

export type CommentPlan =
  | { readonly kind: 'post'; readonly target: CommentTarget; readonly marker: string; readonly body: string; readonly author: string }
  | { readonly kind: 'skip'; readonly reason: string };

/** The part of @actions/github's context this reads. */
export interface EventContext {
  readonly eventName: string;
  readonly payload: {
    readonly pull_request?: { readonly number?: number; readonly head?: { readonly repo?: { readonly full_name?: string } | null } };
    readonly repository?: { readonly full_name?: string };
  };
  readonly repo: { readonly owner: string; readonly repo: string };
}

/** The hidden first line that finds this comment again: an HTML comment is not rendered. */
export function markerLine(marker: string): string {
  return `<!-- slipway:pr-comment:${marker} -->`;
}

function truncate(body: string, runUrl: string | undefined): string {
  if (body.length <= MAX_BODY_CHARS) return body;
  const where = runUrl ? `the [job summary](${runUrl})` : 'the job summary';
  return `${body.slice(0, MAX_BODY_CHARS)}\n\n_… cut at ${MAX_BODY_CHARS} characters; the full report is in ${where}._\n`;
}

export function planComment(
  inputs: { readonly body: string; readonly marker: string; readonly author: string },
  context: EventContext,
  runUrl?: string,
): CommentPlan {
  const pr = context.payload.pull_request;
  if (!pr || typeof pr.number !== 'number') {
    throw new ActionError(`this action comments on a pull request, but the run's event is '${context.eventName}' with no pull_request in its payload; run it on 'pull_request' events.`);
  }
  const head = pr.head?.repo?.full_name;
  const base = context.payload.repository?.full_name ?? `${context.repo.owner}/${context.repo.repo}`;
  // Pull requests from public forks get a read-only GITHUB_TOKEN whatever 'permissions:' says:
  // https://docs.github.com/en/actions/reference/github_token-reference#permissions-for-the-github_token
  if (head !== base) {
    return { kind: 'skip', reason: `pull request #${pr.number} comes from ${head ? `the fork ${head}` : 'a deleted fork'}, whose token cannot comment; the report is in the job summary only` };
  }
  const body = `${markerLine(inputs.marker)}\n${truncate(inputs.body, runUrl)}`;
  return { kind: 'post', target: { ...context.repo, number: pr.number }, marker: inputs.marker, body, author: inputs.author };
}
