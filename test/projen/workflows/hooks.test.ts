import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Project } from 'projen';
import { actionlint } from './actionlint';
import { PIPELINE_PATH, PULL_REQUEST_PATH, synthWorkflows } from './synth';
import { SlipwayWorkflows } from '../../../src/projen/workflows';

/** A pinned reference of the right form; the test never runs it. */
const PINNED = `example-org/cache-action@${'c'.repeat(40)}`;

describe('a team adds steps around a job from .projenrc.ts', () => {
  const hooked = synthWorkflows(undefined, (w) => {
    w.pipeline.addSteps('image', {
      before: [{ name: 'Fetch model weights', run: './scripts/fetch-weights.sh' }, { id: 'warm', name: 'Warm the cache', uses: PINNED }],
      after: [{ name: 'Announce the image', run: 'echo "pushed"' }],
    });
    w.pipeline.addSteps('build', { after: [{ name: 'Check licences', run: 'npx license-checker --production' }] });
    w.pullRequest.addSteps('infra-diff', { before: [{ name: 'Show the base', run: 'git -C .pr-base log -1' }] });
  });

  test('before-steps run after checkout and credentials, before the work, in the order given', () => {
    expect(hooked.pipeline.jobs.image.steps.map((s) => s.id)).toEqual([
      'checkout', 'setup-buildx', 'aws-credentials', 'image-before-1', 'warm', 'image', 'image-after-1',
    ]);
    expect(hooked.pipeline.jobs.image.steps[3].run).toBe('./scripts/fetch-weights.sh');
  });

  test('after-steps follow the work and come before packaging in build', () => {
    const ids = hooked.pipeline.jobs.build.steps.map((s) => s.id);
    expect(ids.indexOf('build-after-1')).toBe(ids.indexOf('anti-tamper') + 1);
  });

  test('pull-request jobs take hooks too', () => {
    const ids = hooked.pullRequest.jobs['infra-diff'].steps.map((s) => s.id);
    expect(ids.indexOf('infra-diff-before-1')).toBe(ids.indexOf('synth-head') - 1);
  });

  test('hooked workflows stay actionlint-clean', async () => {
    expect(await actionlint(hooked.pipelineText, PIPELINE_PATH)).toEqual([]);
    expect(await actionlint(hooked.pullRequestText, PULL_REQUEST_PATH)).toEqual([]);
  });
});

describe('hooks keep to policy and say what to fix', () => {
  test('an unpinned action is refused with the job, the step and the fix', () => {
    expect(() =>
      synthWorkflows(undefined, (w) => w.pipeline.addSteps('deploy', { after: [{ name: 'Notify', uses: 'slackapi/slack-github-action@v2' }] })),
    ).toThrow(/pipeline job 'deploy-production', after step 1 \('Notify'\) uses 'slackapi\/slack-github-action@v2', which is not pinned: write a local action .* or 'owner\/repo@<40-hex commit SHA>'/);
  });

  test('a short SHA is not a pin', () => {
    expect(() => synthWorkflows(undefined, (w) => w.pipeline.addSteps('build', { before: [{ uses: 'actions/cache@1bd1e32' }] }))).toThrow(/not pinned/);
  });

  test('a step with neither run nor uses is refused', () => {
    expect(() => synthWorkflows(undefined, (w) => w.pipeline.addSteps('build', { before: [{ name: 'Empty' }] }))).toThrow(
      /pipeline job 'build', before step 1 \('Empty'\) has neither 'run' nor 'uses'/,
    );
  });

  test('hooking a job the spec turned off names the option', () => {
    expect(() =>
      synthWorkflows({ stages: { veracode: false } }, (w) => w.pipeline.addSteps('veracode', { before: [{ run: 'true' }] })),
    ).toThrow("cannot add steps to pipeline job 'veracode': the 'veracode' job is turned off by pipeline.stages.veracode: false in .projenrc.ts");
    expect(() => synthWorkflows({ stages: { sonar: false } }, (w) => w.pullRequest.addSteps('sonar', { before: [{ run: 'true' }] }))).toThrow(
      'pipeline.stages.sonar: false',
    );
  });
});

describe('SlipwayWorkflows.of', () => {
  test('names the project when it has no Slipway workflows', () => {
    const plain = new Project({ name: 'plain', outdir: mkdtempSync(join(tmpdir(), 'slipway-plain-')) });
    expect(() => SlipwayWorkflows.of(plain)).toThrow("project 'plain' has no SlipwayWorkflows; it is added by SlipwayProject");
  });
});
