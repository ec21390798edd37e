import { Component, YamlFile, awscdk } from 'projen';
import { ec2InventoryConfig, groupVars, stageGroupVars } from '../hosts/ansible-vars';
import { CONNECTIONS, GROUP_VARS_FILE, SCRAPE_CONFIG_FILE, inventoryFile, stageGroupVarsFile } from '../hosts/layout';
import { estateScrapeConfig } from '../hosts/scrape-config';
import type { EstateSpec } from '../spec';

/**
 * The host configuration files derived from the spec: the Ansible group vars every stage shares and each
 * stage's own, each stage's EC2 inventory configs (`ansible/inventory/<stage>/`), the Prometheus scrape
 * config with a job per stage and exporter, and the `configure-hosts` task that runs the zx driver.
 */
export class Hosts extends Component {
  constructor(project: awscdk.AwsCdkTypeScriptApp, estate: EstateSpec) {
    super(project);
    const file = (path: string, obj: unknown) => new YamlFile(project, path, { obj, readonly: true, marker: true });
    file(GROUP_VARS_FILE, groupVars(estate));
    for (const stage of estate.stages) {
      file(stageGroupVarsFile(stage.environment), stageGroupVars(stage));
      for (const connection of CONNECTIONS) file(inventoryFile(stage.environment, connection), ec2InventoryConfig(stage, connection));
    }
    file(SCRAPE_CONFIG_FILE, estateScrapeConfig(estate));

    // The driver is repository tooling run by tsx from devDependencies (zx, the AWS SDK), never a deployed runtime.
    project.eslint?.allowDevDeps('src/hosts/**/*.ts');

    const several = estate.stages.length > 1;
    project.addTask('configure-hosts', {
      description: 'Install the exporters and the CloudWatch agent on the service hosts ' +
        `(options: ${several ? '--stage (required) ' : '--stage '}--inventory --limit --check --tags --forks --connection)`,
      exec: 'tsx src/hosts/cli.ts',
      receiveArgs: true,
    });
  }
}
