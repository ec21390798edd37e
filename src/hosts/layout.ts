/**
 * Where the host configuration lives in the repository and the fixed names
 * the playbook, the inventories and the driver agree on. Service-specific
 * values never appear here: they come from the ServiceSpec.
 */

/** The Ansible project directory, relative to the repository root. */
export const ANSIBLE_DIR = 'ansible';
export const ANSIBLE_CONFIG = `${ANSIBLE_DIR}/ansible.cfg`;
export const PLAYBOOK = `${ANSIBLE_DIR}/site.yml`;
/** Group variables every stage shares (exporter releases, ports, process names); next to the playbook so every inventory gets them. */
export const GROUP_VARS_FILE = `${ANSIBLE_DIR}/group_vars/all/slipway.yml`;

/** A stage's own group variables (its region, its log group), for the hosts in its `stage_<name>` group. */
export function stageGroupVarsFile(stage: string): string {
  return `${ANSIBLE_DIR}/group_vars/${stageGroup(stage)}/slipway.yml`;
}

/**
 * A stage's amazon.aws.aws_ec2 inventory config, in a folder of its own: the plugin requires names ending in
 * `aws_ec2.yml` (https://docs.ansible.com/ansible/latest/collections/amazon/aws/aws_ec2_inventory.html).
 */
export function inventoryFile(stage: string, connection: Connection): string {
  return `${ANSIBLE_DIR}/inventory/${stage}/${connection}.aws_ec2.yml`;
}
/** The Prometheus scrape configuration generated from the spec. */
export const SCRAPE_CONFIG_FILE = 'monitoring/prometheus/scrape-configs.yml';

/** The group the playbook targets: every host carrying the service's `slipway:role` tag. */
export const HOSTS_GROUP = 'slipway_hosts';
/** keyed_groups prefix: a host tagged `slipway:role=app` joins group `role_app`. */
export const ROLE_GROUP_PREFIX = 'role';

export function roleGroup(role: string): string {
  // Ansible group names may not contain '-'; the inventory plugin replaces it with '_' too.
  return `${ROLE_GROUP_PREFIX}_${role.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

/** Every host of a stage is also in `stage_<name>`, which is how it gets that stage's group variables. */
export const STAGE_GROUP_PREFIX = 'stage';

export function stageGroup(stage: string): string {
  return `${STAGE_GROUP_PREFIX}_${stage.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

/** The login user of the Amazon Linux 2023 AMI the hosts stack launches, for the SSH alternative. */
export const EC2_SSH_USER = 'ec2-user';

/**
 * Prometheus job names: one per exporter, the same for every service and stage (`service` and `stage` labels tell
 * them apart). Job names must be unique in one config, so each stage's job is `<job>_<stage>` and relabelled back.
 */
export const NODE_EXPORTER_JOB = 'node_exporter';
export const PROCESS_EXPORTER_JOB = 'process_exporter';

export type Connection = 'ssm' | 'ssh';
export const CONNECTIONS: readonly Connection[] = ['ssm', 'ssh'];
