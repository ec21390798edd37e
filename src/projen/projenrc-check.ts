import { Component, JsonFile, Project, Task } from 'projen';
import { PROJENRC_FILE } from './rejected-spec';

/** The tsconfig that covers `.projenrc.ts` and, through its imports, only what it uses. */
export const PROJENRC_TSCONFIG = 'tsconfig.projenrc.json';

/**
 * `npx projen check:projenrc`: a type-check of `.projenrc.ts` alone. `npx projen` runs it through tsx, which
 * strips types without checking them (fast regeneration), so a type error there would pass; this check
 * (a few seconds: only the files `.projenrc.ts` imports, node's types, no test code) is the first service check.
 */
export class ProjenrcCheck extends Component {
  readonly task: Task;

  constructor(project: Project, devTsconfig: string) {
    super(project);
    new JsonFile(project, PROJENRC_TSCONFIG, {
      obj: {
        extends: `./${devTsconfig}`,
        // `files` with an empty `include`: tsc follows the imports from .projenrc.ts and nothing else.
        compilerOptions: { types: ['node'] },
        include: [],
        files: [PROJENRC_FILE],
      },
      allowComments: true,
      newline: true,
    });
    this.task = project.addTask('check:projenrc', {
      description: `Type-check ${PROJENRC_FILE} (npx projen runs it without a type-check)`,
      execArgs: ['tsc', '--noEmit', '-p', PROJENRC_TSCONFIG],
    });
  }
}
