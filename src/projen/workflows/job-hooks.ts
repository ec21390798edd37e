/**
 * The escape hatch: a team adds its own steps before or after a generated
 * job's work from `.projenrc.ts`, without editing generated files. Policy
 * still applies to hook steps: every `uses:` must be local or SHA-pinned.
 */
import type { github } from 'projen';
import { isLocalOrShaPinned } from './pinned-actions';

type JobStep = github.workflows.JobStep;

export interface StepHooks {
  /** Steps run after the job's checkout and setup, before its own work. @default - none */
  readonly before?: readonly JobStep[];
  /** Steps run after the job's own work (only when it succeeded, unless a step sets `if`). @default - none */
  readonly after?: readonly JobStep[];
}

/** The first and last step ids of a job's own work: hooks go before the first and after the last. */
export interface WorkSteps {
  readonly first: string;
  readonly last: string;
}

/**
 * Checks hook steps and gives each an id (projen inserts by id). Throws with
 * the job, the step and what to write instead when a step breaks policy.
 */
export function prepareHookSteps(workflowName: string, jobId: string, position: 'before' | 'after', steps: readonly JobStep[]): JobStep[] {
  return steps.map((step, index) => {
    const where = `${workflowName} job '${jobId}', ${position} step ${index + 1}${step.name ? ` ('${step.name}')` : ''}`;
    if (!step.run && !step.uses) {
      throw new Error(`${where} has neither 'run' nor 'uses'; give it a command (run: '...') or an action (uses: '...')`);
    }
    if (step.uses && !isLocalOrShaPinned(step.uses)) {
      throw new Error(
        `${where} uses '${step.uses}', which is not pinned: write a local action ('./actions/<name>') or 'owner/repo@<40-hex commit SHA>' ` +
          '(a tag can be moved to other code; a commit cannot)',
      );
    }
    return { ...step, id: step.id ?? `${jobId}-${position}-${index + 1}` };
  });
}

/** Inserts prepared hook steps around a job's work steps through projen's step API. */
export function insertHooks(workflow: github.GithubWorkflow, jobId: string, target: WorkSteps, hooks: StepHooks): void {
  const before = prepareHookSteps(workflow.name, jobId, 'before', hooks.before ?? []);
  const after = prepareHookSteps(workflow.name, jobId, 'after', hooks.after ?? []);
  // Inserting each before the same anchor keeps the team's order.
  for (const step of before) workflow.insertStepBefore(jobId, target.first, step);
  let anchor = target.last;
  for (const step of after) {
    workflow.insertStepAfter(jobId, anchor, step);
    anchor = step.id!;
  }
}
