/**
 * Runs one job of a generated workflow the way the runner does, as far as job outputs are concerned:
 * steps in order, `with:` interpolated, the action's declared defaults filled in, local actions run
 * as their committed bundles (processes, INPUT_*, GITHUB_OUTPUT), third-party actions by their models;
 * every mask a step registers is collected, then the job's `outputs:` are evaluated and the runner's
 * masking rule applied.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { parse } from 'yaml';
import { Contexts, interpolate } from './expressions';
import { JobOutputsResult, applyJobOutputRule, masksIn } from './masking';
import { ActionModel } from './modelled-actions';
import { BundleRunOptions, runBundle } from '../../actions/support/run-bundle';

export interface WorkflowStep {
  readonly id?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly if?: string;
  readonly with?: Record<string, unknown>;
}

export interface WorkflowJob {
  readonly steps: readonly WorkflowStep[];
  readonly outputs?: Record<string, string>;
}

export interface JobWorld {
  /** The repository whose ./actions/<name> bundles run. */
  readonly repoRoot: string;
  /** The job's working directory (what checkout would have filled). */
  readonly workspace: string;
  /** github, vars, secrets. */
  readonly contexts: Contexts;
  /** Models by `owner/repo[/path]` (the part before '@'). */
  readonly models: Readonly<Record<string, ActionModel>>;
  /** Environment every local action starts with (fakes' endpoints, tool configuration). */
  readonly env: NodeJS.ProcessEnv;
  /** Inputs a test must override for a tool this machine lacks, by action path, with the reason. */
  readonly inputOverrides?: Readonly<Record<string, { inputs: Record<string, string>; why: string }>>;
  /** Runs the bundle under this argv prefix (e.g. a mount namespace with its own /etc/hosts). */
  readonly wrapper?: BundleRunOptions['wrapper'];
}

export interface JobRun {
  readonly secrets: readonly string[];
  readonly steps: Record<string, { outputs: Record<string, string>; log: string }>;
  readonly outputs: JobOutputsResult;
}

function actionDefaults(actionDir: string): Record<string, string> {
  const spec = parse(readFileSync(join(actionDir, 'action.yml'), 'utf8')) as { inputs?: Record<string, { default?: unknown }> };
  const declared = Object.entries(spec.inputs ?? {});
  return Object.fromEntries(declared.flatMap(([name, input]) => (input.default === undefined ? [] : [[name, String(input.default)]])));
}

export async function runJob(job: WorkflowJob, world: JobWorld): Promise<JobRun> {
  const secrets: string[] = [];
  const steps: JobRun['steps'] = {};
  let env: Record<string, string> = {};
  for (const [index, step] of job.steps.entries()) {
    const id = step.id ?? `__${index}`;
    if (step.if) throw new Error(`step '${id}' has if: '${step.if}', which the job model does not evaluate`);
    if (step.run || !step.uses) throw new Error(`step '${id}' runs a script; the job model runs actions only`);
    const stepsContext = Object.fromEntries(Object.entries(steps).map(([k, v]) => [k, { outputs: v.outputs }]));
    const contexts = { ...world.contexts, steps: stepsContext, env };
    const given = Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, interpolate(String(v), contexts)]));
    if (step.uses.startsWith('./')) {
      const dir = join(world.repoRoot, step.uses);
      const override = world.inputOverrides?.[step.uses]?.inputs ?? {};
      const run = await runBundle(join(dir, 'dist', 'index.js'), {
        inputs: { ...actionDefaults(dir), ...given, ...override },
        env: { ...world.env, ...env },
        cwd: world.workspace,
        wrapper: world.wrapper,
        timeoutMs: 180_000,
      });
      secrets.push(...masksIn(run.stdout));
      if (run.code !== 0) throw new Error(`step '${id}' (${step.uses}) exited ${run.code}:\n${run.stdout}\n${run.stderr}`);
      steps[id] = { outputs: run.outputs, log: run.stdout };
    } else {
      const name = step.uses.slice(0, step.uses.lastIndexOf('@'));
      const model = world.models[name];
      if (!model) throw new Error(`step '${id}' uses ${name}, which has no model; add one from the action's documentation`);
      const effect = await model(given);
      secrets.push(...effect.secrets);
      env = { ...env, ...effect.env };
      steps[id] = { outputs: effect.outputs, log: '' };
    }
  }
  const contexts = { ...world.contexts, steps: Object.fromEntries(Object.entries(steps).map(([k, v]) => [k, { outputs: v.outputs }])) };
  const evaluated = Object.fromEntries(Object.entries(job.outputs ?? {}).map(([name, expression]) => [name, interpolate(expression, contexts)]));
  return { secrets, steps, outputs: applyJobOutputRule(evaluated, secrets) };
}
