/** `npx projen release-platform <X.Y.Z|major|minor|patch>`, in the template repository (src/upgrade/release.ts). */
import { Component, Project, Task } from 'projen';
import { UPGRADE_CLI } from './platform-record';

export const RELEASE_PLATFORM_TASK = 'release-platform';

export class ReleaseTask extends Component {
  readonly task: Task;

  constructor(project: Project) {
    super(project);
    this.task = project.addTask(RELEASE_PLATFORM_TASK, {
      description: 'Template repository only: move CHANGELOG.md [Unreleased] under the version, record it, commit and tag vX.Y.Z',
      exec: `${UPGRADE_CLI} release`,
      receiveArgs: true,
    });
  }
}
