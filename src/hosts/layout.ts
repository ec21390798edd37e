/**
 * Where the host configuration lives in the repository and the fixed names
 * the playbook, the inventories and the driver agree on. Service-specific
 * values never appear here: they come from the ServiceSpec.
 */

/** The Ansible project directory, relative to the repository root. */
export const ANSIBLE_DIR = 'ansible';
export const ANSIBLE_CONFIG = `${ANSIBLE_DIR}/ansible.cfg`;
export const PLAYBOOK = `${ANSIBLE_DIR}/site.yml`;
/** Group variables generated from the spec; next to the playbook so every inventory gets them. */
export const GROUP_VARS_FILE = `${ANSIBLE_DIR}/group_vars/all/slipway.yml`;
/** amazon.aws.aws_ec2 inventory configs; the plugin requires names ending in `aws_ec2.yml`. */
export const SSM_INVENTORY_FILE = `${ANSIBLE_DIR}/inventory/ssm.aws_ec2.yml`;
export const SSH_INVENTORY_FILE = `${ANSIBLE_DIR}/inventory/ssh.aws_ec2.yml`;
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

/** The login user of the Amazon Linux 2023 AMI the hosts stack launches, for the SSH alternative. */
export const EC2_SSH_USER = 'ec2-user';

/** Prometheus job names: one per exporter, the same for every service (a `service` label tells them apart). */
export const NODE_EXPORTER_JOB = 'node_exporter';
export const PROCESS_EXPORTER_JOB = 'process_exporter';

export type Connection = 'ssm' | 'ssh';
export const CONNECTIONS: readonly Connection[] = ['ssm', 'ssh'];
