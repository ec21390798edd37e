import { readFileSync } from 'fs';
import { join, resolve } from 'path';
import { parse } from 'yaml';
import { ec2InventoryConfig, groupVars, stageGroupVars } from '../../src/hosts/ansible-vars';
import { ec2TagLabel, estateScrapeConfig, scrapeConfig } from '../../src/hosts/scrape-config';
import { normaliseEstate, normaliseServiceOptions } from '../../src/spec';
import { seedOptions } from '../spec/fixtures';

const ROLES = resolve(__dirname, '../../ansible/roles');

const spec = normaliseServiceOptions({
  ...seedOptions(),
  serviceName: 'orders',
  region: 'us-east-2',
  environment: 'staging',
  hosts: { role: 'worker' },
  monitoring: { nodeExporterVersion: '1.9.0', nodeExporterPort: 9101, processExporterPort: 9300, processNames: ['celery'], logFiles: ['/var/log/orders/*.log'] },
});

describe('group vars', () => {
  test("carry the service's facts the roles need, all from the spec", () => {
    expect(groupVars(spec)).toEqual({
      node_exporter_version: '1.9.0',
      node_exporter_port: 9101,
      node_exporter_release_url: 'https://github.com/prometheus/node_exporter/releases/download/v1.9.0',
      node_exporter_release_name: 'node_exporter',
      node_exporter_checksums_file: 'sha256sums.txt',
      node_exporter_binary: 'node_exporter',
      process_exporter_version: '0.8.3',
      process_exporter_port: 9300,
      process_exporter_release_url: 'https://github.com/ncabatoff/process-exporter/releases/download/v0.8.3',
      process_exporter_release_name: 'process-exporter',
      process_exporter_checksums_file: 'checksums.txt',
      process_exporter_binary: 'process-exporter',
      process_exporter_names: ['celery'],
      cloudwatch_agent_log_files: ['/var/log/orders/*.log'],
    });
  });

  test("a stage's own group vars: its region and its log group", () => {
    expect(stageGroupVars(spec)).toEqual({ cloudwatch_agent_region: 'us-east-2', cloudwatch_agent_log_group: '/slipway/orders/staging/app' });
  });

  test('a releases mirror moves every release folder to it', () => {
    const mirrored = normaliseServiceOptions({ ...seedOptions(), monitoring: { releasesMirror: 'https://artifacts.example/exporters' } });
    expect(groupVars(mirrored)).toMatchObject({
      node_exporter_release_url: 'https://artifacts.example/exporters/node_exporter/v1.8.2',
      process_exporter_release_url: 'https://artifacts.example/exporters/process-exporter/v0.8.3',
    });
  });

  test('versions, ports and release folders have one source: no role default copies them, each role requires them', () => {
    for (const role of ['node_exporter', 'process_exporter']) {
      const fromSpec = Object.keys(groupVars(spec)).filter((k) => k.startsWith(`${role}_`) && k !== 'process_exporter_names');
      const defaults = parse(readFileSync(join(ROLES, role, 'defaults/main.yml'), 'utf8')) as Record<string, unknown>;
      const options = (parse(readFileSync(join(ROLES, role, 'meta/argument_specs.yml'), 'utf8')) as {
        argument_specs: { main: { options: Record<string, { required?: boolean; default?: unknown }> } };
      }).argument_specs.main.options;
      expect({ role, copiedInDefaults: fromSpec.filter((k) => k in defaults) }).toEqual({ role, copiedInDefaults: [] });
      expect({ role, notRequired: fromSpec.filter((k) => options[k]?.required !== true || 'default' in options[k]) }).toEqual({ role, notRequired: [] });
    }
  });
});

describe('aws_ec2 inventory config', () => {
  test("SSM: running instances of this service's stage only, grouped by role and in the stage's group, connection set in the inventory", () => {
    expect(ec2InventoryConfig(spec, 'ssm')).toEqual({
      plugin: 'amazon.aws.aws_ec2',
      regions: ['us-east-2'],
      filters: {
        'instance-state-name': 'running',
        'tag:slipway:service': 'orders',
        'tag:slipway:environment': 'staging',
        'tag:slipway:role': 'worker',
      },
      hostnames: ['instance-id'],
      keyed_groups: [{ key: "tags['slipway:role']", prefix: 'role' }],
      groups: { slipway_hosts: "tags.get('slipway:role') == 'worker'", stage_staging: "tags.get('slipway:environment') == 'staging'" },
      compose: {
        ansible_connection: "'community.aws.aws_ssm'",
        ansible_aws_ssm_instance_id: 'instance_id',
        ansible_aws_ssm_region: "'us-east-2'",
        ansible_aws_ssm_bucket_name: "'orders-staging-hosts-' ~ owner_id ~ '-us-east-2'",
      },
      strict: true,
    });
  });

  test('SSH alternative: private address and the AMI user', () => {
    expect(ec2InventoryConfig(spec, 'ssh').compose).toEqual({
      ansible_connection: "'ansible.builtin.ssh'",
      ansible_host: 'private_ip_address',
      ansible_user: "'ec2-user'",
    });
  });
});

describe('Prometheus scrape config', () => {
  const config = scrapeConfig(spec);

  test('one job per exporter on its spec port, discovered by the same tags as the inventory', () => {
    expect(config.scrape_configs.map((j) => [j.job_name, j.ec2_sd_configs[0].port])).toEqual([['node_exporter_staging', 9101], ['process_exporter_staging', 9300]]);
    expect(config.scrape_configs[0].ec2_sd_configs[0]).toEqual({
      region: 'us-east-2',
      port: 9101,
      filters: [
        { name: 'instance-state-name', values: ['running'] },
        { name: 'tag:slipway:service', values: ['orders'] },
        { name: 'tag:slipway:environment', values: ['staging'] },
        { name: 'tag:slipway:role', values: ['worker'] },
      ],
    });
  });

  test('scrapes the private address and labels each series with instance, service, environment, stage and role; the job reads as the exporter', () => {
    const relabel = config.scrape_configs[1].relabel_configs;
    expect(relabel[0]).toEqual({ source_labels: ['__meta_ec2_private_ip'], regex: '(.+)', target_label: '__address__', replacement: '$1:9300' });
    expect(relabel.map((r) => r.target_label)).toEqual(['__address__', 'instance', 'availability_zone', 'service', 'environment', 'stage', 'role', 'job']);
    expect(relabel.at(-1)).toEqual({ target_label: 'job', replacement: 'process_exporter' });
  });

  test('with several stages: a job per stage and exporter, each selecting its stage by tag in its region', () => {
    const estate = normaliseEstate({
      ...seedOptions(),
      stages: [
        { name: 'staging', region: 'eu-west-2' },
        { name: 'production' },
      ],
    });
    const jobs = estateScrapeConfig(estate).scrape_configs;
    expect(jobs.map((j) => j.job_name)).toEqual(['node_exporter_staging', 'process_exporter_staging', 'node_exporter_production', 'process_exporter_production']);
    expect(new Set(jobs.map((j) => j.job_name)).size).toBe(jobs.length);
    expect(jobs.map((j) => [j.ec2_sd_configs[0].region, (j.ec2_sd_configs[0].filters as { name: string; values: string[] }[]).find((f) => f.name === 'tag:slipway:environment')?.values])).toEqual([
      ['eu-west-2', ['staging']], ['eu-west-2', ['staging']], ['eu-west-1', ['production']], ['eu-west-1', ['production']],
    ]);
  });

  test('tag keys become label names the way Prometheus makes them', () => {
    expect(ec2TagLabel('slipway:role')).toBe('__meta_ec2_tag_slipway_role');
  });
});
