import { Component, YamlFile, awscdk } from 'projen';
import { ec2InventoryConfig, groupVars } from '../hosts/ansible-vars';
import { GROUP_VARS_FILE, SCRAPE_CONFIG_FILE, SSH_INVENTORY_FILE, SSM_INVENTORY_FILE } from '../hosts/layout';
import { scrapeConfig } from '../hosts/scrape-config';
import type { ServiceSpec } from '../spec';

/**
 * The host configuration files derived from the spec (Ansible group vars,
 * the EC2 inventory configs, the Prometheus scrape config) and the
 * `configure-hosts` task that runs the zx driver.
 */
export class Hosts extends Component {
  constructor(project: awscdk.AwsCdkTypeScriptApp, spec: ServiceSpec) {
    super(project);
    const file = (path: string, obj: unknown) => new YamlFile(project, path, { obj, readonly: true, marker: true });
    file(GROUP_VARS_FILE, groupVars(spec));
    file(SSM_INVENTORY_FILE, ec2InventoryConfig(spec, 'ssm'));
    file(SSH_INVENTORY_FILE, ec2InventoryConfig(spec, 'ssh'));
    file(SCRAPE_CONFIG_FILE, scrapeConfig(spec));

    // The driver is repository tooling run by tsx from devDependencies (zx, the AWS SDK), never a deployed runtime.
    project.eslint?.allowDevDeps('src/hosts/**/*.ts');

    project.addTask('configure-hosts', {
      description: 'Install the exporters and the CloudWatch agent on the service hosts (options: --inventory --limit --check --tags --forks --connection)',
      exec: 'tsx src/hosts/cli.ts',
      receiveArgs: true,
    });
  }
}
