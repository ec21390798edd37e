/**
 * Pure checks and figures over a workflow's job graph (`needs`): every need
 * names a job that exists, no cycles, and the depth of the longest chain —
 * the number of jobs on the critical path.
 */

export type JobNeeds = Readonly<Record<string, readonly string[]>>;

/** Problems in the graph, each naming the job and the need; empty when sound. */
export function graphProblems(graph: JobNeeds): string[] {
  const problems: string[] = [];
  for (const [job, needs] of Object.entries(graph)) {
    for (const need of needs) {
      if (!(need in graph)) problems.push(`job '${job}' needs '${need}', which is not a job in this workflow`);
    }
  }
  const cycle = findCycle(graph);
  if (cycle) problems.push(`the jobs form a cycle: ${cycle.join(' → ')}`);
  return problems;
}

/** The longest chain of jobs, root first (ties broken by job order); throws on an unsound graph. */
export function criticalPath(graph: JobNeeds): string[] {
  const problems = graphProblems(graph);
  if (problems.length > 0) throw new Error(`cannot measure the job graph: ${problems.join('; ')}`);
  const memo = new Map<string, string[]>();
  const longestEndingAt = (job: string): string[] => {
    const known = memo.get(job);
    if (known) return known;
    let best: string[] = [];
    for (const need of graph[job]) {
      const chain = longestEndingAt(need);
      if (chain.length > best.length) best = chain;
    }
    const path = [...best, job];
    memo.set(job, path);
    return path;
  };
  let longest: string[] = [];
  for (const job of Object.keys(graph)) {
    const chain = longestEndingAt(job);
    if (chain.length > longest.length) longest = chain;
  }
  return longest;
}

export function graphDepth(graph: JobNeeds): number {
  return criticalPath(graph).length;
}

function findCycle(graph: JobNeeds): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (job: string): string[] | undefined => {
    if (state.get(job) === 'done') return undefined;
    if (state.get(job) === 'visiting') return [...stack.slice(stack.indexOf(job)), job];
    state.set(job, 'visiting');
    stack.push(job);
    for (const need of graph[job] ?? []) {
      if (!(need in graph)) continue;
      const cycle = visit(need);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(job, 'done');
    return undefined;
  };
  for (const job of Object.keys(graph)) {
    const cycle = visit(job);
    if (cycle) return cycle;
  }
  return undefined;
}
