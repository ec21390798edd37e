/**
 * The platform record in projen's synthesis: the first `npx projen` in a new copy of the template writes
 * `.slipway/platform.json` (src/upgrade/stamp.ts says how a copy is noticed), and `npx projen check:platform`,
 * the first of the service checks, fails when a platform-owned file differs from it.
 *
 * The record is not a projen file (projen would rewrite or delete it); it is written here and by
 * `npx projen upgrade-platform`, and marked generated for GitHub's diff view.
 */
import { Component, Task, typescript } from 'projen';
import { TASKS } from './test-split';
import type { ServiceSpec } from '../spec';
import { RECORD_FILE } from '../upgrade/ownership';
import { stampIfNewCopy } from '../upgrade/stamp';

/** The command line of the tasks in src/upgrade/cli.ts. */
export const UPGRADE_CLI = 'tsx src/upgrade/cli.ts';

export class PlatformRecord extends Component {
  /** `check:platform`: platform-owned files against the record. */
  readonly checkTask: Task;
  private readonly repository: string;

  constructor(project: typescript.TypeScriptProject, spec: Pick<ServiceSpec, 'github'>) {
    super(project);
    this.repository = `${spec.github.owner}/${spec.github.repo}`;
    project.gitattributes.addAttributes(`/${RECORD_FILE}`, 'linguist-generated');
    // The upgrade runs in the repository's own toolchain (tsx, typescript's parser for .projenrc.ts), like src/projen.
    project.eslint?.allowDevDeps('src/upgrade/**/*.ts');
    this.checkTask = project.addTask('check:platform', {
      description: `Platform-owned files (src/, actions/, ansible/, test/, .ci/, monitoring/) must match ${RECORD_FILE}; they are read-only in a stamped repository`,
      exec: `${UPGRADE_CLI} check`,
    });
    // First among the service checks (what CI runs: a second is cheap), and part of `npx projen test` and `build`.
    project.tasks.tryFind(TASKS.service)?.prependSpawn(this.checkTask);
    project.testTask.spawn(this.checkTask);
  }

  /** In synthesize, not postSynthesize: `npx projen --no-post` (PROJEN_DISABLE_POST) skips the post phase, and a stamp must not depend on it. */
  synthesize(): void {
    const outcome = stampIfNewCopy(this.project.outdir, this.repository);
    if (outcome.kind === 'stamped') {
      const { template, files } = outcome.record;
      this.project.logger.info(
        `Stamped ${this.repository} from the Slipway template ${template.version ?? '(unreleased)'}: ${RECORD_FILE} records ${Object.keys(files).length} platform-owned files. Commit it.`,
      );
    } else if (outcome.kind === 'not-git') {
      this.project.logger.warn(`${this.repository} is a new copy of the Slipway template outside a git repository: run 'git init && git add -A && npx projen' to write ${RECORD_FILE}`);
    } else if (outcome.kind === 'renamed') {
      this.project.logger.info(`${RECORD_FILE}: repository ${outcome.from} → ${outcome.to} (the platform files' checksums are unchanged). Commit it.`);
    }
  }
}
