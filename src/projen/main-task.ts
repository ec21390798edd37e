import { Component, awscdk } from 'projen';
import { OFFLINE_CDK_ENV } from './offline-cdk';

/**
 * `npx projen main`: regenerate from `.projenrc.ts`, synthesize every stack
 * offline into a fresh assembly, then print the summary. Stacks are discovered
 * from the cloud assembly, so a stack added later appears without changing this task.
 */
export class MainTask extends Component {
  constructor(project: awscdk.AwsCdkTypeScriptApp) {
    super(project);
    const task = project.addTask('main', {
      description: 'Regenerate, synthesize the service offline and print its summary',
      env: { ...OFFLINE_CDK_ENV },
    });
    task.spawn(project.defaultTask!);
    // Removes the previous assembly first (a renamed service's templates would stay), then runs the offline synth.
    task.exec(`tsx src/projen/offline-synth-cli.ts ${project.cdkConfig.cdkout}`);
    task.exec('tsx src/summary/cli.ts');
  }
}
