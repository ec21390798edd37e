/**
 * The committed pr-comment bundle, run as the runner runs it (`node
 * dist/index.js` with INPUT_*, the event payload file and GITHUB_API_URL),
 * against the local server speaking the issue-comment endpoints: two pushes
 * give one comment, edited.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { markerLine } from '../../../actions/pr-comment/src/plan';
import { GitHubApiServer, startGitHubApiServer } from '../support/github-api-server';
import { runBundle } from '../support/run-bundle';

const BUNDLE = resolve(__dirname, '../../../actions/pr-comment/dist/index.js');
const TOKEN = 'ghs_bundle_token';

let server: GitHubApiServer;
let work: string;
beforeEach(async () => {
  server = await startGitHubApiServer({ token: TOKEN });
  work = mkdtempSync(join(tmpdir(), 'pr-comment-e2e-'));
});
afterEach(async () => {
  await server.close();
  rmSync(work, { recursive: true, force: true });
});

async function push(body: string, headRepository = 'slipway-dev/flask-app') {
  writeFileSync(join(work, 'body.md'), body);
  const event = { pull_request: { number: 12, head: { repo: { full_name: headRepository } } }, repository: { full_name: 'slipway-dev/flask-app' } };
  writeFileSync(join(work, 'event.json'), JSON.stringify(event));
  return runBundle(BUNDLE, {
    inputs: { 'body-file': join(work, 'body.md'), 'marker': 'infra-diff', 'github-token': TOKEN, 'author': 'github-actions[bot]' },
    env: { GITHUB_API_URL: server.url, GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: join(work, 'event.json') },
  });
}

test('the bundle creates the comment on the first push and edits it on the next', async () => {
  const first = await push('## first');
  expect({ code: first.code, stderr: first.stderr }).toEqual({ code: 0, stderr: '' });
  expect(first.outputs.result).toBe('created');
  const second = await push('## second');
  expect(second.outputs).toMatchObject({ 'result': 'updated', 'comment-id': first.outputs['comment-id'] });
  expect(server.comments.get(12)!.map((c) => c.body)).toEqual([`${markerLine('infra-diff')}\n## second`]);
  expect(first.stdout).toContain(`::add-mask::${TOKEN}`);
  expect(server.requests.every((r) => r.path.startsWith('/repos/slipway-dev/flask-app/issues/'))).toBe(true);
});

test('the bundle skips a fork with a notice and exits 0 without calling the API', async () => {
  const run = await push('## diff', 'someone/flask-app');
  expect(run.code).toBe(0);
  expect(run.outputs.result).toBe('skipped');
  expect(run.stdout).toContain('::notice::no pull request comment');
  expect(server.requests).toEqual([]);
});
