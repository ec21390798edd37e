/**
 * One comment per marker: list the pull request's comments (every page),
 * edit ours if it is there, create it otherwise.
 * https://docs.github.com/en/rest/issues/comments#list-issue-comments
 * https://docs.github.com/en/rest/issues/comments#update-an-issue-comment
 * https://docs.github.com/en/rest/issues/comments#create-an-issue-comment
 */
import { CommentPlan, markerLine } from './plan';
import { GitHubClient, githubCall } from '../../shared/github-call';

export interface UpsertResult {
  readonly result: 'created' | 'updated' | 'unchanged';
  readonly id: number;
  readonly url: string;
}

interface ListedComment {
  readonly id: number;
  readonly body?: string;
  readonly html_url: string;
  readonly user?: { readonly login?: string } | null;
}

const PERMISSION = 'pull-requests: write';

/** Ours: written by `author` and starting with the marker (a person quoting the marker is not ours). */
export function findOwnComment(comments: readonly ListedComment[], marker: string, author: string): ListedComment | undefined {
  return comments.find((c) => c.user?.login === author && (c.body ?? '').startsWith(markerLine(marker)));
}

export async function upsertComment(client: GitHubClient, plan: Extract<CommentPlan, { kind: 'post' }>): Promise<UpsertResult> {
  const { owner, repo, number } = plan.target;
  const comments = await githubCall(`GET /repos/${owner}/${repo}/issues/${number}/comments`, 'pull-requests: read', () =>
    client.paginate(client.rest.issues.listComments, { owner, repo, issue_number: number, per_page: 100 }));
  const existing = findOwnComment(comments, plan.marker, plan.author);
  if (existing && existing.body === plan.body) return { result: 'unchanged', id: existing.id, url: existing.html_url };
  if (existing) {
    const { data } = await githubCall(`PATCH /repos/${owner}/${repo}/issues/comments/${existing.id}`, PERMISSION, () =>
      client.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body: plan.body }));
    return { result: 'updated', id: data.id, url: data.html_url };
  }
  const { data } = await githubCall(`POST /repos/${owner}/${repo}/issues/${number}/comments`, PERMISSION, () =>
    client.rest.issues.createComment({ owner, repo, issue_number: number, body: plan.body }));
  return { result: 'created', id: data.id, url: data.html_url };
}
