/** The pr-comment action: read the inputs → plan (pure) → upsert the comment → report. */
import { readCommentInputs } from './inputs';
import { EventContext, planComment } from './plan';
import { upsertComment } from './upsert';
import { Inputs, Runner } from '../../shared';
import type { GitHubClient } from '../../shared/github-call';

export interface CommentDeps {
  readonly runner: Runner;
  readonly context: EventContext;
  /** Builds the client once the token is read (and masked). */
  readonly client: (token: string) => GitHubClient;
  /** Where the full report lives, for a cut comment. */
  readonly runUrl?: string;
}

export async function runPrComment(deps: CommentDeps): Promise<void> {
  const { runner } = deps;
  const inputs = readCommentInputs(new Inputs(runner));
  const plan = planComment(inputs, deps.context, deps.runUrl);
  if (plan.kind === 'skip') {
    runner.notice(`no pull request comment: ${plan.reason}.`);
    report(runner, { result: 'skipped', id: '', url: '' });
    return;
  }
  const done = await upsertComment(deps.client(inputs.token), plan);
  runner.info(`${done.result} comment ${done.id} on pull request #${plan.target.number}: ${done.url}`);
  report(runner, { result: done.result, id: String(done.id), url: done.url });
}

function report(runner: Runner, outcome: { result: string; id: string; url: string }): void {
  runner.setOutput('result', outcome.result);
  runner.setOutput('comment-id', outcome.id);
  runner.setOutput('comment-url', outcome.url);
}
