/** A small Dockerfile reader for the tests: stages, instructions, exec-form commands. */

export interface Instruction {
  readonly keyword: string;
  readonly args: string;
}

export interface Stage {
  readonly from: string;
  readonly instructions: readonly Instruction[];
}

export interface Dockerfile {
  readonly stages: readonly Stage[];
  readonly final: Stage;
  /** The JSON array of the final stage's last CMD or HEALTHCHECK (its CMD part); throws on shell form. */
  execForm(keyword: 'CMD' | 'HEALTHCHECK'): string[];
}

export function parseDockerfile(text: string): Dockerfile {
  // Join continuation lines, drop comments and blanks.
  const logical = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const stages: { from: string; instructions: Instruction[] }[] = [];
  for (const line of logical) {
    const [, keyword, args] = /^(\S+)\s*(.*)$/.exec(line)!;
    const upper = keyword.toUpperCase();
    if (upper === 'FROM') stages.push({ from: args, instructions: [] });
    else if (stages.length > 0) stages[stages.length - 1].instructions.push({ keyword: upper, args });
  }
  if (stages.length === 0) throw new Error('the Dockerfile has no FROM');
  const final = stages[stages.length - 1];
  return {
    stages,
    final,
    execForm(keyword) {
      const found = final.instructions.filter((i) => i.keyword === keyword).pop();
      if (!found) throw new Error(`the final stage has no ${keyword}`);
      const json = keyword === 'HEALTHCHECK' ? /\bCMD\s+(\[.*\])\s*$/.exec(found.args)?.[1] : found.args;
      if (!json?.startsWith('[')) throw new Error(`${keyword} must use the exec form (a JSON array) so signals reach the process; got '${found.args}'`);
      return JSON.parse(json) as string[];
    },
  };
}
