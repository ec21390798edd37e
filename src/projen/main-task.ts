import { Component, awscdk } from 'projen';
import { OFFLINE_CDK_ENV, OFFLINE_SYNTH_COMMAND } from './offline-cdk';

/**
 * `npx projen main`: regenerate from `.projenrc.ts`, synthesize every stack
 * offline, then print the summary. Stacks are discovered from the cloud
 * assembly, so a stack added later appears without changing this task.
 */
export class MainTask extends Component {
  constructor(project: awscdk.AwsCdkTypeScriptApp) {
    super(project);
    const task = project.addTask('main', {
      description: 'Regenerate, synthesize the service offline and print its summary',
      env: { ...OFFLINE_CDK_ENV },
    });
    task.spawn(project.defaultTask!);
    task.exec(OFFLINE_SYNTH_COMMAND);
    task.exec('tsx src/summary/cli.ts');
  }
}
