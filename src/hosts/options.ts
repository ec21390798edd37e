/**
 * Command-line options of `npx projen configure-hosts`. Parsing is pure:
 * argv in, options out, or an error naming the bad argument and the fix.
 */
import { CONNECTIONS, type Connection } from './layout';

export type Discovery = 'tags' | 'stack';
export const DISCOVERIES: readonly Discovery[] = ['tags', 'stack'];

export interface DriverOptions {
  /** A ready inventory to use instead of discovering the hosts. */
  readonly inventory?: string;
  /** Ansible host pattern restricting the run, e.g. a host name or 'role_app'. */
  readonly limit?: string;
  /** Dry run: ansible-playbook --check --diff; exporters are not verified. */
  readonly check: boolean;
  /** Only the tagged parts of the playbook, e.g. ['node_exporter']. */
  readonly tags: readonly string[];
  /** Hosts configured in parallel. */
  readonly forks: number;
  /** How Ansible reaches discovered hosts. */
  readonly connection: Connection;
  /** How hosts are discovered: the EC2 API by tag, or the hosts stack's outputs. */
  readonly discovery: Discovery;
  /** The stage whose hosts are configured; required when the service has more than one. */
  readonly stage?: string;
  readonly help: boolean;
}

export const DEFAULT_FORKS = 20;

export const USAGE = `Usage: npx projen configure-hosts [options]

Installs the exporters and the CloudWatch agent on the service's EC2 hosts,
then checks every exporter answers and prints a table per host.

  --inventory <file>       use this inventory instead of discovering the hosts
  --limit <pattern>        only hosts matching this Ansible pattern
  --check                  dry run (ansible-playbook --check --diff)
  --tags <a,b>             only these parts: node_exporter, process_exporter, cloudwatch_agent
  --forks <n>              hosts configured in parallel (default ${DEFAULT_FORKS})
  --connection <ssm|ssh>   how discovered hosts are reached (default ssm)
  --discover <tags|stack>  find hosts by EC2 tags or the hosts stack's outputs (default tags)
  --stage <name>           the stage whose hosts to configure (required with several stages)
  --help                   show this text

Prerequisites on this machine (the controller):
  - AWS credentials for the stage's account: AWS_PROFILE (after \`aws sso login\`
    for IAM Identity Center) or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY; the region
    is the stage's. They need ec2:DescribeInstances (cloudformation:DescribeStacks
    with --discover stack) and, over SSM, ssm:StartSession/TerminateSession and
    s3:PutObject/GetObject/DeleteObject/ListBucket/GetBucketLocation on the stage's
    hosts stack's transfer bucket (its access stack's hosts-configuration role has them).
  - ansible-core 2.14+ with the collections in ansible/requirements.yml
    (ansible-galaxy collection install -r ansible/requirements.yml).
  - boto3 and botocore for Ansible's Python (the aws_ec2 inventory and aws_ssm).
  - The AWS Session Manager plugin (session-manager-plugin) for --connection ssm.
  - Reach to the exporter releases (GitHub, or monitoring.releasesMirror): this
    machine fetches and verifies them once; the hosts need no internet.`;

export class UsageError extends Error {
  constructor(message: string) {
    super(`${message}\n\n${USAGE}`);
    this.name = 'UsageError';
  }
}

const VALUE_OPTIONS = ['--inventory', '--limit', '--tags', '--forks', '--connection', '--discover', '--stage'] as const;
const FLAG_OPTIONS = ['--check', '--help'] as const;
const TAG = /^[A-Za-z0-9_]+$/;

export function parseOptions(argv: readonly string[]): DriverOptions {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    if ((FLAG_OPTIONS as readonly string[]).includes(name)) {
      if (name !== arg) throw new UsageError(`${name} takes no value, got '${arg}'`);
      flags.add(name);
    } else if ((VALUE_OPTIONS as readonly string[]).includes(name)) {
      const value = name !== arg ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined || value === '' || (name === arg && value.startsWith('--'))) {
        throw new UsageError(`${name} needs a value, e.g. ${name} ${example(name)}`);
      }
      if (values.has(name)) throw new UsageError(`${name} was given twice ('${values.get(name)}' and '${value}'); give it once`);
      values.set(name, value);
    } else {
      throw new UsageError(`unknown argument '${arg}'`);
    }
  }

  const forksText = values.get('--forks');
  const forks = forksText === undefined ? DEFAULT_FORKS : Number(forksText);
  if (!Number.isInteger(forks) || forks < 1 || forks > 500) {
    throw new UsageError(`--forks must be a whole number from 1 to 500, got '${forksText}'`);
  }
  const tags = (values.get('--tags') ?? '').split(',').map((t) => t.trim()).filter((t) => t.length > 0);
  const badTag = tags.find((t) => !TAG.test(t));
  if (badTag !== undefined) throw new UsageError(`--tags takes comma-separated tag names such as 'node_exporter', got '${badTag}'`);
  const connection = values.get('--connection') ?? 'ssm';
  if (!(CONNECTIONS as readonly string[]).includes(connection)) {
    throw new UsageError(`--connection must be one of ${CONNECTIONS.join(', ')}, got '${connection}'`);
  }
  const discovery = values.get('--discover') ?? 'tags';
  if (!(DISCOVERIES as readonly string[]).includes(discovery)) {
    throw new UsageError(`--discover must be one of ${DISCOVERIES.join(', ')}, got '${discovery}'`);
  }
  if (values.has('--inventory') && (values.has('--connection') || values.has('--discover'))) {
    throw new UsageError('--inventory brings its own hosts and connection; drop --connection/--discover, or drop --inventory to discover the hosts');
  }
  return {
    ...(values.has('--inventory') ? { inventory: values.get('--inventory') } : {}),
    ...(values.has('--limit') ? { limit: values.get('--limit') } : {}),
    ...(values.has('--stage') ? { stage: values.get('--stage') } : {}),
    check: flags.has('--check'),
    tags,
    forks,
    connection: connection as Connection,
    discovery: discovery as Discovery,
    help: flags.has('--help'),
  };
}

function example(name: string): string {
  switch (name) {
    case '--inventory': return 'ansible/inventory/hosts.yml';
    case '--limit': return 'role_app';
    case '--tags': return 'node_exporter';
    case '--forks': return String(DEFAULT_FORKS);
    case '--connection': return 'ssh';
    case '--stage': return 'staging';
    default: return 'tags';
  }
}
