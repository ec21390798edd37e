import { Component, awscdk } from 'projen';

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
      env: { CDK_DISABLE_VERSION_CHECK: 'true', CDK_DISABLE_CLI_TELEMETRY: 'true' },
    });
    task.spawn(project.defaultTask!);
    task.exec('cdk synth --quiet --no-notices --no-version-reporting --no-lookups');
    task.exec('tsx src/summary/cli.ts');
  }
}
