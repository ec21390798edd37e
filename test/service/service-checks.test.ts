/**
 * The service checks' own tests: they read this repository's spec (whatever `.projenrc.ts` says) and
 * its committed workflows, never the seed's values, so a stamped repository with any valid spec passes
 * them. The estate this spec synthesizes passes cdk-nag; every committed workflow passes actionlint;
 * every job output a job consumes survives the runner's masking rule statically (no `secrets.` in an
 * output, and no credentials step that masks the account id upstream of an output).
 */
import { readFileSync, readdirSync } from 'fs';
import { join } from 'path';
import { App } from 'aws-cdk-lib';
import { parse } from 'yaml';
import { buildEstate } from '../../src/infra/app';
import { readSpecFile } from '../../src/spec';
import { expectNoNagFindings } from '../infra/nag';
import { actionlint } from '../projen/workflows/actionlint';

const REPO_ROOT = join(__dirname, '..', '..');
const WORKFLOWS = join(REPO_ROOT, '.github', 'workflows');

jest.setTimeout(120_000);

test("this repository's spec synthesizes every stage's stacks with no unacknowledged cdk-nag finding", () => {
  const app = new App();
  buildEstate(app, readSpecFile(REPO_ROOT));
  expectNoNagFindings(app);
});

const workflowFiles = readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f)).sort();

test('the committed workflows are the generated ones: pipeline, pull-request and platform', () => {
  expect(workflowFiles).toEqual(expect.arrayContaining(['pipeline.yml', 'platform.yml', 'pull-request.yml']));
});

test.each(workflowFiles)('actionlint: .github/workflows/%s has no finding', async (file) => {
  const path = `.github/workflows/${file}`;
  expect(await actionlint(readFileSync(join(WORKFLOWS, file), 'utf8'), path)).toEqual([]);
});

test.each(workflowFiles)('.github/workflows/%s passes no masked value between jobs', (file) => {
  const workflow = parse(readFileSync(join(WORKFLOWS, file), 'utf8')) as { jobs: Record<string, { outputs?: Record<string, string>; steps: { uses?: string; with?: Record<string, unknown> }[] }> };
  for (const [id, job] of Object.entries(workflow.jobs)) {
    for (const [name, expression] of Object.entries(job.outputs ?? {})) {
      // A secret in an output is dropped by the runner ("Skip output ... since it may contain secret").
      expect([id, name, /secrets\./.test(expression)]).toEqual([id, name, false]);
    }
    if (!job.outputs) continue;
    const masking = job.steps.filter((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@') && String(s.with?.['mask-aws-account-id']) === 'true');
    expect([id, masking.length]).toEqual([id, 0]);
  }
});
