import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { runPrComment } from '../../../actions/pr-comment/src/action';
import { EventContext, MAX_BODY_CHARS, markerLine, planComment } from '../../../actions/pr-comment/src/plan';
import { TransientError } from '../../../actions/shared/errors';
import { createGitHubClient } from '../../../actions/shared/github';
import { GitHubApiServer, startGitHubApiServer } from '../support/github-api-server';
import { testRunner } from '../support/runner';

const TOKEN = 'ghs_test_token';

function prContext(number: number, head = 'slipway-dev/flask-app'): EventContext {
  return {
    eventName: 'pull_request',
    payload: { pull_request: { number, head: { repo: { full_name: head } } }, repository: { full_name: 'slipway-dev/flask-app' } },
    repo: { owner: 'slipway-dev', repo: 'flask-app' },
  };
}

describe('pr-comment against the issue-comments REST endpoints', () => {
  let server: GitHubApiServer;
  let dir: string;
  beforeEach(async () => {
    server = await startGitHubApiServer({ token: TOKEN });
    dir = mkdtempSync(join(tmpdir(), 'slipway-pr-comment-'));
  });
  afterEach(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function push(body: string, context = prContext(7)): Promise<{ outputs: Record<string, string>; log: string }> {
    const file = join(dir, 'body.md');
    writeFileSync(file, body);
    const t = testRunner({ 'body-file': file, 'marker': 'infra-diff', 'github-token': TOKEN });
    try {
      await runPrComment({ runner: t.runner, context, client: (token) => createGitHubClient(token, { baseUrl: server.url }) });
      return { outputs: t.outputs(), log: t.log() };
    } finally {
      t.cleanup();
    }
  }

  test('the first push creates the comment; later pushes edit that one comment, found past the first page', async () => {
    // 150 earlier comments: ours must be found on page 2 of 100, not duplicated.
    server.comments.set(7, Array.from({ length: 150 }, (_, i) => ({ id: i + 1, body: `review ${i}`, user: { login: 'reviewer', type: 'User' }, html_url: '' })));
    const first = await push('## diff one');
    expect(first.outputs.result).toBe('created');
    const second = await push('## diff two');
    const third = await push('## diff two');
    expect(second.outputs).toMatchObject({ 'result': 'updated', 'comment-id': first.outputs['comment-id'] });
    expect(third.outputs.result).toBe('unchanged');
    const ours = server.comments.get(7)!.filter((c) => c.body.startsWith(markerLine('infra-diff')));
    expect(ours).toHaveLength(1);
    expect(ours[0].body).toBe(`${markerLine('infra-diff')}\n## diff two`);
    expect(server.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /repos/slipway-dev/flask-app/issues/7/comments',
      `PATCH /repos/slipway-dev/flask-app/issues/comments/${first.outputs['comment-id']}`,
    ]);
    expect(server.requests.some((r) => r.path.includes('page=2'))).toBe(true);
    expect(first.log).toContain(`::add-mask::${TOKEN}`);
  });

  test("a person's comment quoting the marker is never edited", async () => {
    server.comments.set(7, [{ id: 1, body: `${markerLine('infra-diff')}\nquoted`, user: { login: 'reviewer', type: 'User' }, html_url: '' }]);
    expect((await push('## diff')).outputs.result).toBe('created');
    expect(server.comments.get(7)![0].body).toBe(`${markerLine('infra-diff')}\nquoted`);
  });

  test('a pull request from a fork gets no comment and no API call, with a notice', async () => {
    const run = await push('## diff', prContext(7, 'someone/flask-app'));
    expect(run.outputs.result).toBe('skipped');
    expect(run.log).toMatch(/::notice::no pull request comment: pull request #7 comes from the fork someone\/flask-app/);
    expect(server.requests).toEqual([]);
  });

  test('a server error and an unreachable API are told apart from a refusal', async () => {
    server.failNext = 1;
    await expect(push('## diff')).rejects.toThrow(new TransientError('GitHub GET /repos/slipway-dev/flask-app/issues/7/comments failed: HTTP 502 Server Error'));
    await server.close();
    await expect(push('## diff')).rejects.toThrow(/GitHub GET .* could not reach the API: .*ECONNREFUSED.*Check GITHUB_API_URL/);
    server = await startGitHubApiServer({ token: TOKEN });
  });

  test('a refused write names the permission to grant', async () => {
    server.readOnly = true;
    await expect(push('## diff')).rejects.toThrow(/HTTP 403 .*'pull-requests: write'/);
  });
});

describe('planComment', () => {
  const inputs = { body: 'x', marker: 'infra-diff', author: 'github-actions[bot]' };
  test('outside a pull request it says which event to use', () => {
    expect(() => planComment(inputs, { ...prContext(1), eventName: 'push', payload: {} })).toThrow(/run it on 'pull_request' events/);
  });
  test('a body over the comment limit is cut with a pointer to the job summary', () => {
    const plan = planComment({ ...inputs, body: 'y'.repeat(MAX_BODY_CHARS + 10) }, prContext(1), 'https://github.com/o/r/actions/runs/1');
    expect(plan.kind === 'post' && plan.body.length).toBeLessThan(65_536);
    expect(plan.kind === 'post' && plan.body).toMatch(/full report is in the \[job summary\]\(https:\/\/github.com\/o\/r\/actions\/runs\/1\)/);
  });
});
