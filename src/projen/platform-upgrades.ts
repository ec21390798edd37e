/**
 * Template upgrades reach every stamped repository as a pull request (README "Keeping a service repo
 * up to date"): the platform record and its check, the upgrade and release tasks, and the two weekly
 * workflows (platform upgrade, dependency upgrade).
 */
import { Component, awscdk } from 'projen';
import { PlatformRecord } from './platform-record';
import { ReleaseTask } from './release-task';
import { UpgradeTask } from './upgrade-task';
import { DepsUpgradeWorkflow, UpgradePlatformWorkflow } from './workflows';
import type { ServiceSpec } from '../spec';

export class PlatformUpgrades extends Component {
  readonly record: PlatformRecord;
  readonly upgradeTask: UpgradeTask;
  readonly releaseTask: ReleaseTask;
  readonly upgradePlatformWorkflow: UpgradePlatformWorkflow;
  readonly depsUpgradeWorkflow: DepsUpgradeWorkflow;

  constructor(project: awscdk.AwsCdkTypeScriptApp, spec: Pick<ServiceSpec, 'github' | 'pipeline'>) {
    super(project);
    this.record = new PlatformRecord(project, spec);
    this.upgradeTask = new UpgradeTask(project);
    this.releaseTask = new ReleaseTask(project);
    this.upgradePlatformWorkflow = new UpgradePlatformWorkflow(project, spec);
    this.depsUpgradeWorkflow = new DepsUpgradeWorkflow(project, spec);
  }
}
