/**
 * The local actions the workflows call exist, and the workflows speak their
 * interface: every `with:` key is a declared input, every required input is
 * given, and every output read is declared. (Bundle freshness is tested with
 * the actions themselves.)
 */
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { parse } from 'yaml';
import { synthWorkflows, Workflow } from './synth';

const REPO_ROOT = join(__dirname, '..', '..', '..');

interface ActionYaml {
  readonly inputs?: Record<string, { required?: boolean; default?: unknown }>;
  readonly outputs?: Record<string, unknown>;
  readonly runs?: { using?: string; main?: string };
}

function readAction(uses: string): ActionYaml {
  const file = join(REPO_ROOT, uses, 'action.yml');
  if (!existsSync(file)) throw new Error(`${uses}/action.yml does not exist: the workflow calls an action that is not in the repository`);
  return parse(readFileSync(file, 'utf8')) as ActionYaml;
}

/** Workflows in every shape the stage toggles and registries produce. */
const variants: Workflow[] = [
  synthWorkflows(),
  synthWorkflows({ registry: 'dockerhub', dockerHubRepository: 'slipway/flask-app' }),
].flatMap((s) => [s.pipeline, s.pullRequest]);

const localSteps = variants.flatMap((w) =>
  Object.entries(w.jobs).flatMap(([job, j]) => j.steps.filter((s) => s.uses?.startsWith('./')).map((s) => ({ workflow: w.name, job, step: s }))),
);
const localActions = [...new Set(localSteps.map((s) => s.step.uses!))].sort();

describe('local actions called by the workflows', () => {
  test('the workflows call our five actions', () => {
    expect(localActions).toEqual(['./actions/codepipeline-deploy', './actions/ecr-image', './actions/pr-comment', './actions/sonar-scan', './actions/veracode-scan']);
  });

  test.each(localActions)('%s has an action.yml on a Node runtime with a main bundle', (uses) => {
    const action = readAction(uses);
    expect(action.runs?.using).toMatch(/^node\d+$/);
    expect(action.runs?.main).toBe('dist/index.js');
  });

  test.each(localSteps.map((s) => [`${s.workflow}/${s.job}`, s] as const))('%s passes only declared inputs and every required one', (_, { step }) => {
    const action = readAction(step.uses!);
    const declared = Object.keys(action.inputs ?? {});
    const given = Object.keys(step.with ?? {});
    expect(given.filter((k) => !declared.includes(k))).toEqual([]);
    const required = Object.entries(action.inputs ?? {}).filter(([, i]) => i.required && i.default === undefined).map(([k]) => k);
    expect(required.filter((k) => !given.includes(k))).toEqual([]);
  });

  test('every output the workflows read from a local action is declared', () => {
    for (const w of variants) {
      for (const [jobId, job] of Object.entries(w.jobs)) {
        const text = JSON.stringify(job);
        for (const [, stepId, output] of text.matchAll(/steps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)/g)) {
          const step = job.steps.find((s) => s.id === stepId);
          expect([w.name, jobId, stepId, step ? 'found' : 'missing']).toEqual([w.name, jobId, stepId, 'found']);
          if (!step!.uses?.startsWith('./')) continue;
          expect([step!.uses, output, Object.keys(readAction(step!.uses!).outputs ?? {}).includes(output)]).toEqual([step!.uses, output, true]);
        }
      }
    }
  });
});
