/** upgrade-platform.yml and upgrade-dependencies.yml: weekly and on demand, one pull request each, with an App token. */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Testing } from 'projen';
import { parse } from 'yaml';
import { actionlint } from './actionlint';
import { Workflow } from './synth';
import { SlipwayProject } from '../../../src/projen';
import { isLocalOrShaPinned, pinnedUses } from '../../../src/projen/workflows';
import { seedOptions } from '../../spec/fixtures';

const PLATFORM = '.github/workflows/upgrade-platform.yml';
const DEPS = '.github/workflows/upgrade-dependencies.yml';

type Tasks = Record<string, { steps?: { exec?: string; spawn?: string; receiveArgs?: boolean }[] }>;

function synth(): { out: Record<string, unknown>; tasks: Tasks } {
  const outdir = mkdtempSync(join(tmpdir(), 'slipway-upgrade-workflows-'));
  try {
    const out = Testing.synth(new SlipwayProject({ service: { ...seedOptions(), serviceName: 'orders-api', github: { owner: 'acme', branches: ['trunk'] } }, outdir }));
    return { out, tasks: (out['.projen/tasks.json'] as { tasks: Tasks }).tasks };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

const { out, tasks } = synth();
const texts: Record<string, string> = { [PLATFORM]: out[PLATFORM] as string, [DEPS]: out[DEPS] as string };
const platform = parse(texts[PLATFORM]) as Workflow;
const deps = parse(texts[DEPS]) as Workflow;

test.each([PLATFORM, DEPS])('%s is actionlint-clean', async (path) => {
  expect(await actionlint(texts[path], path)).toEqual([]);
});

test.each([[PLATFORM, platform], [DEPS, deps]] as const)('%s runs weekly and on demand, one run at a time, read-only by default', (_, workflow) => {
  const on = workflow.on as { schedule: { cron: string }[]; workflow_dispatch: unknown };
  expect(on.schedule).toHaveLength(1);
  expect(on.schedule[0].cron).toMatch(/^\d+ \d+ \* \* 1$/);
  expect(on).toHaveProperty('workflow_dispatch');
  expect(workflow.permissions).toEqual({ contents: 'read' });
  expect(workflow.concurrency?.['cancel-in-progress']).toBe(false);
});

test('upgrade-platform takes ref and source as inputs, and passes them through env, never inside the script', () => {
  const inputs = (platform.on.workflow_dispatch as { inputs: Record<string, { required: boolean }> }).inputs;
  expect(Object.keys(inputs).sort()).toEqual(['ref', 'source']);
  const step = platform.jobs['upgrade-platform'].steps.find((s) => s.id === 'upgrade')!;
  expect(step.env).toMatchObject({ TEMPLATE_SOURCE: '${{ inputs.source }}', TEMPLATE_REF: '${{ inputs.ref }}' });
  expect(step.run).not.toContain('${{');
  expect(step.run).toContain('npx projen upgrade-platform "${args[@]}"');
  expect(step.run).toContain('args=(--summary "${SUMMARY}" --if-stamped)');
});

test.each([[PLATFORM, platform, 'upgrade-platform'], [DEPS, deps, 'upgrade-dependencies']] as const)('%s: App token first, checks before the pull request, the pull request with that token', (_, workflow, job) => {
  const steps = workflow.jobs[job].steps;
  const ids = steps.map((s) => s.id);
  expect(ids[0]).toBe('app-token');
  expect(steps[0].uses).toBe(pinnedUses('createGithubAppToken'));
  expect(steps[0].if).toBe("vars.SLIPWAY_APP_CLIENT_ID != ''");
  expect(steps[0].with).toMatchObject({ 'permission-contents': 'write', 'permission-pull-requests': 'write', 'permission-workflows': 'write' });
  expect(ids[ids.length - 1]).toBe('pull-request');
  const pr = steps[steps.length - 1];
  expect(pr.env?.GH_TOKEN).toBe('${{ steps.app-token.outputs.token || github.token }}');
  expect(pr.env?.BASE).toBe('trunk');
  expect(pr.run).toContain('gh pr edit');
  expect(pr.run).toContain('gh pr create');
  expect(pr.run).toContain('gh auth setup-git');
  expect(pr.run).not.toContain('${{');
  // The token is not left in .git/config for the steps that run the repository's code.
  expect(steps.find((s) => s.id === 'checkout')!.with).toMatchObject({ 'persist-credentials': false, 'ref': 'trunk' });
  expect(workflow.jobs[job].permissions).toEqual({ 'contents': 'write', 'pull-requests': 'write' });
  for (const s of steps) if (s.uses) expect(isLocalOrShaPinned(s.uses)).toBe(true);
});

test('the dependency upgrade runs projen upgrade, then the service checks, then writes the body', () => {
  const ids = deps.jobs['upgrade-dependencies'].steps.map((s) => s.id);
  expect(ids.slice(ids.indexOf('upgrade'))).toEqual(['upgrade', 'service-checks', 'body', 'pull-request']);
  expect(deps.jobs['upgrade-dependencies'].steps.find((s) => s.id === 'service-checks')!.run).toBe('npx projen test:service');
  expect((tasks.upgrade.steps ?? []).map((s) => s.exec ?? s.spawn)).toContain('npm install');
});

test('the tasks: check:platform leads the service checks; upgrade-platform and release-platform take arguments', () => {
  expect(tasks['test:service'].steps![0]).toEqual({ spawn: 'check:platform' });
  expect(tasks.test.steps).toContainEqual({ spawn: 'check:platform' });
  expect(tasks['check:platform'].steps).toEqual([{ exec: 'tsx src/upgrade/cli.ts check' }]);
  expect(tasks['upgrade-platform'].steps).toEqual([{ exec: 'tsx src/upgrade/cli.ts upgrade', receiveArgs: true }]);
  expect(tasks['release-platform'].steps).toEqual([{ exec: 'tsx src/upgrade/cli.ts release', receiveArgs: true }]);
});

test('projen does not own the platform record: it is neither generated nor deleted by a synth', () => {
  const files = (out['.projen/files.json'] as { files: string[] }).files;
  expect(files).not.toContain('.slipway/platform.json');
  expect(out['.gitattributes']).toContain('/.slipway/platform.json linguist-generated');
});
