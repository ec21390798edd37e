/**
 * The Ansible files generated from the spec: the group variables the roles
 * read and the amazon.aws.aws_ec2 inventory configs. Pure: spec in, plain
 * objects out; the projen component writes them.
 */
import { TAG_ENVIRONMENT, TAG_ROLE, TAG_SERVICE, hostTransferBucketName, type ExporterRelease, type MonitoringSpec, type ServiceSpec } from '../spec';
import { EC2_SSH_USER, HOSTS_GROUP, ROLE_GROUP_PREFIX, stageGroup, type Connection } from './layout';

/** One exporter's release and port, as the role's variables (`<role>_version`, …). */
function exporterVars(role: string, release: ExporterRelease, port: number): Record<string, unknown> {
  return {
    [`${role}_version`]: release.version,
    [`${role}_port`]: port,
    [`${role}_release_url`]: release.url,
    [`${role}_release_name`]: release.name,
    [`${role}_checksums_file`]: release.checksumsFile,
    [`${role}_binary`]: release.binary,
  };
}

/** The service's facts every stage shares (the estate's monitoring); role defaults stay free of them. */
export function groupVars(service: { readonly monitoring: MonitoringSpec }): Record<string, unknown> {
  const m = service.monitoring;
  return {
    ...exporterVars('node_exporter', m.releases.nodeExporter, m.nodeExporterPort),
    ...exporterVars('process_exporter', m.releases.processExporter, m.processExporterPort),
    process_exporter_names: [...m.processNames],
    cloudwatch_agent_log_files: [...m.logFiles],
  };
}

/** One stage's own facts, for the hosts in its `stage_<name>` group: where its agent sends metrics and logs. */
export function stageGroupVars(spec: ServiceSpec): Record<string, unknown> {
  return {
    cloudwatch_agent_region: spec.region,
    cloudwatch_agent_log_group: spec.names.appLogGroup,
  };
}

/** EC2 API filters selecting the service's running hosts: the same tags the hosts stack sets. */
export function hostTagFilters(spec: ServiceSpec): Record<string, string> {
  return {
    [`tag:${TAG_SERVICE}`]: spec.tags[TAG_SERVICE],
    [`tag:${TAG_ENVIRONMENT}`]: spec.tags[TAG_ENVIRONMENT],
    [`tag:${TAG_ROLE}`]: spec.hosts.role,
  };
}

/** A Jinja string literal for inventory `compose` expressions. */
/** The transfer bucket's name as a Jinja expression: the spec's format with the instance's owner_id for the account. */
function bucketNameExpression(spec: ServiceSpec): string {
  const [before, after] = hostTransferBucketName(spec.names, ACCOUNT_SLOT, spec.region).split(ACCOUNT_SLOT);
  return [literal(before), 'owner_id', ...(after ? [literal(after)] : [])].join(' ~ ');
}
const ACCOUNT_SLOT = '\u0000';

function literal(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/**
 * A stage's amazon.aws.aws_ec2 inventory config: running instances of this service's stage
 * only, in the stage's group, grouped by their `slipway:role` tag, with the connection set here
 * (never as `-e`). SSM needs no SSH keys or open port; SSH is the alternative
 * for hosts that allow it.
 */
export function ec2InventoryConfig(spec: ServiceSpec, connection: Connection): Record<string, unknown> {
  const compose: Record<string, string> =
    connection === 'ssm'
      ? {
        ansible_connection: literal('community.aws.aws_ssm'),
        ansible_aws_ssm_instance_id: 'instance_id',
        ansible_aws_ssm_region: literal(spec.region),
        // Bucket names are global, so the account id (and the spec's region) complete the name.
        ansible_aws_ssm_bucket_name: bucketNameExpression(spec),
      }
      : {
        ansible_connection: literal('ansible.builtin.ssh'),
        ansible_host: 'private_ip_address',
        ansible_user: literal(EC2_SSH_USER),
      };
  return {
    plugin: 'amazon.aws.aws_ec2',
    regions: [spec.region],
    filters: { 'instance-state-name': 'running', ...hostTagFilters(spec) },
    hostnames: connection === 'ssm' ? ['instance-id'] : ['private-ip-address', 'instance-id'],
    keyed_groups: [{ key: `tags['${TAG_ROLE}']`, prefix: ROLE_GROUP_PREFIX }],
    groups: {
      [HOSTS_GROUP]: `tags.get(${literal(TAG_ROLE)}) == ${literal(spec.hosts.role)}`,
      [stageGroup(spec.environment)]: `tags.get(${literal(TAG_ENVIRONMENT)}) == ${literal(spec.environment)}`,
    },
    compose,
    strict: true,
  };
}
