/** `npx projen upgrade-platform [--source …] [--ref …] [--summary <file>] [--no-checks]` (src/upgrade/upgrade.ts). */
import { Component, Project, Task } from 'projen';
import { UPGRADE_CLI } from './platform-record';

export const UPGRADE_PLATFORM_TASK = 'upgrade-platform';

export class UpgradeTask extends Component {
  readonly task: Task;

  constructor(project: Project) {
    super(project);
    this.task = project.addTask(UPGRADE_PLATFORM_TASK, {
      description: 'Take a newer Slipway template version: replace the platform-owned files, regenerate, run the service checks, print what changed',
      exec: `${UPGRADE_CLI} upgrade`,
      receiveArgs: true,
    });
  }
}
