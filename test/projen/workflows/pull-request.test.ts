import { existsSync } from 'fs';
import { join } from 'path';
import { actionlint } from './actionlint';
import { PULL_REQUEST_PATH, graphOf, synthWorkflows, usesOf } from './synth';
import { isLocalOrShaPinned, PINNED_ACTIONS } from '../../../src/projen/workflows';

const REPO_ROOT = join(__dirname, '..', '..', '..');
const seed = synthWorkflows();
const pr = seed.pullRequest;

describe('pull-request.yml for the seed spec', () => {
  test('actionlint reports nothing', async () => {
    expect(await actionlint(seed.pullRequestText, PULL_REQUEST_PATH)).toEqual([]);
  });

  test('build and Sonar in sequence, the infra diff in parallel; no deploy, no image', () => {
    expect(graphOf(pr)).toEqual({ 'build': [], 'sonar': ['build'], 'infra-diff': [] });
  });

  test('no AWS credentials anywhere: no id-token, no configure-aws-credentials, nothing but reads (and the diff comment)', () => {
    expect(pr.permissions).toEqual({ contents: 'read' });
    for (const [id, job] of Object.entries(pr.jobs)) {
      const comment = id === 'infra-diff' ? { 'pull-requests': 'write' } : {};
      expect([id, job.permissions]).toEqual([id, { contents: 'read', ...comment }]);
    }
    expect(usesOf(pr).map((u) => u.uses).filter((u) => u.includes(PINNED_ACTIONS.configureAwsCredentials.action))).toEqual([]);
    expect(seed.pullRequestText).not.toMatch(/id-token|vars\.AWS_|codepipeline-deploy|ecr-image/);
  });

  test('a newer push to the pull request cancels the checks of the older one', () => {
    expect(pr.on).toEqual({ pull_request: {} });
    expect(pr.concurrency).toEqual({ 'group': 'pull-request-${{ github.event.pull_request.number }}', 'cancel-in-progress': true });
  });

  test('Sonar runs only for branches of this repository (forks get no secrets)', () => {
    expect(pr.jobs.sonar.if).toBe('github.event.pull_request.head.repo.full_name == github.repository');
  });

  test('build uploads only the coverage Sonar reads', () => {
    const uploads = pr.jobs.build.steps.filter((s) => s.id?.startsWith('upload-')).map((s) => s.with!.name);
    expect(uploads).toEqual(['coverage']);
  });

  test('infra diff: both sides synthesized offline, compared by the template-diff CLI into the job summary', () => {
    const steps = pr.jobs['infra-diff'].steps;
    const base = steps.find((s) => s.id === 'checkout-pr-base')!;
    expect(base.with).toMatchObject({ ref: '${{ github.event.pull_request.base.sha }}', path: '.pr-base' });
    const synths = steps.filter((s) => s.id?.startsWith('synth-'));
    expect(synths).toHaveLength(2);
    for (const s of synths) expect(s.run).toContain('--no-lookups');
    const diff = steps.find((s) => s.id === 'diff')!;
    const cli = /npx tsx (\S+)/.exec(diff.run!)![1];
    expect(existsSync(join(REPO_ROOT, cli))).toBe(true);
    expect(diff.run).toContain('--output "${GITHUB_STEP_SUMMARY}"');
    // Each side's spec file says which stage each stack is, so the report has a section per stage.
    expect(diff.run).toContain('--base-spec ".pr-base/.slipway/spec.json" --head-spec ".slipway/spec.json"');
    // Branch names are attacker-chosen text: they reach the script through env only.
    expect(diff.run).not.toContain('${{');
    expect(diff.env).toEqual({ BASE_LABEL: '${{ github.base_ref }}', HEAD_LABEL: '${{ github.head_ref }}' });
  });

  test('infra diff: one pull request comment from the same diff, posted by pr-comment, never for forks', () => {
    const steps = pr.jobs['infra-diff'].steps;
    const ids = steps.map((s) => s.id);
    const body = steps.find((s) => s.id === 'comment-body')!;
    const comment = steps.find((s) => s.id === 'comment')!;
    expect(ids.indexOf('diff')).toBeLessThan(ids.indexOf('comment-body'));
    expect(ids.indexOf('comment-body')).toBeLessThan(ids.indexOf('comment'));
    expect(existsSync(join(REPO_ROOT, /npx tsx (\S+)/.exec(body.run!)![1]))).toBe(true);
    expect(body.run).toContain('--output "${RUNNER_TEMP}/infra-diff-comment.md"');
    expect(body.run).not.toContain('${{');
    expect(comment).toMatchObject({
      uses: './actions/pr-comment',
      if: 'github.event.pull_request.head.repo.full_name == github.repository',
      with: { 'body-file': '${{ runner.temp }}/infra-diff-comment.md', 'marker': 'infra-diff' },
    });
  });

  test('every uses: is local or SHA-pinned', () => {
    expect(usesOf(pr).filter((u) => !isLocalOrShaPinned(u.uses))).toEqual([]);
  });

  test('every job has a timeout', () => {
    for (const [id, job] of Object.entries(pr.jobs)) expect([id, typeof job['timeout-minutes']]).toEqual([id, 'number']);
  });

  test('snapshot', () => {
    expect(seed.pullRequestText).toMatchSnapshot();
  });
});

describe('without Sonar', () => {
  test('the sonar job and the coverage upload disappear and the file stays actionlint-clean', async () => {
    const { pullRequest, pullRequestText } = synthWorkflows({ stages: { sonar: false } });
    expect(graphOf(pullRequest)).toEqual({ 'build': [], 'infra-diff': [] });
    expect(pullRequest.jobs.build.steps.filter((s) => s.id?.startsWith('upload-'))).toEqual([]);
    expect(await actionlint(pullRequestText, PULL_REQUEST_PATH)).toEqual([]);
  });
});
