/**
 * The Prometheus scrape configuration for the service's exporters, with EC2
 * service discovery selecting on the same tags as the Ansible inventory.
 * Pure: spec in, config object out.
 */
import { TAG_ENVIRONMENT, TAG_ROLE, TAG_SERVICE, type EstateSpec, type ServiceSpec } from '../spec';
import { hostTagFilters } from './ansible-vars';
import { NODE_EXPORTER_JOB, PROCESS_EXPORTER_JOB } from './layout';

export interface ScrapeJob {
  readonly job_name: string;
  readonly metrics_path: string;
  readonly scheme: 'http';
  readonly ec2_sd_configs: readonly Record<string, unknown>[];
  readonly relabel_configs: readonly Record<string, unknown>[];
}

/** Prometheus turns a tag key into a label name by replacing what labels may not hold with '_'. */
export function ec2TagLabel(tagKey: string): string {
  return `__meta_ec2_tag_${tagKey.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

/** One stage's job for one exporter: unique in the config, relabelled to the exporter's job name. */
export function scrapeJobName(exporterJob: string, stage: string): string {
  return `${exporterJob}_${stage.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

function job(spec: ServiceSpec, name: string, port: number): ScrapeJob {
  return {
    job_name: scrapeJobName(name, spec.environment),
    metrics_path: '/metrics',
    scheme: 'http',
    ec2_sd_configs: [
      {
        region: spec.region,
        port,
        filters: [
          { name: 'instance-state-name', values: ['running'] },
          ...Object.entries(hostTagFilters(spec)).map(([filter, value]) => ({ name: filter, values: [value] })),
        ],
      },
    ],
    relabel_configs: [
      // Scrape the private address: the hosts have no public one.
      { source_labels: ['__meta_ec2_private_ip'], regex: '(.+)', target_label: '__address__', replacement: `$1:${port}` },
      { source_labels: ['__meta_ec2_instance_id'], target_label: 'instance' },
      { source_labels: ['__meta_ec2_availability_zone'], target_label: 'availability_zone' },
      { source_labels: [ec2TagLabel(TAG_SERVICE)], target_label: 'service' },
      { source_labels: [ec2TagLabel(TAG_ENVIRONMENT)], target_label: 'environment' },
      { source_labels: [ec2TagLabel(TAG_ENVIRONMENT)], target_label: 'stage' },
      { source_labels: [ec2TagLabel(TAG_ROLE)], target_label: 'role' },
      // Every stage's job reads as the exporter's one job name; the stage label tells them apart.
      { target_label: 'job', replacement: name },
    ],
  };
}

/** One stage's jobs, as a config fragment with `scrape_configs` only. */
export function scrapeConfig(spec: ServiceSpec): { scrape_configs: ScrapeJob[] } {
  return {
    scrape_configs: [
      job(spec, NODE_EXPORTER_JOB, spec.monitoring.nodeExporterPort),
      job(spec, PROCESS_EXPORTER_JOB, spec.monitoring.processExporterPort),
    ],
  };
}

/** Every stage's jobs in promotion order: the fragment to merge into the team's Prometheus config. */
export function estateScrapeConfig(estate: EstateSpec): { scrape_configs: ScrapeJob[] } {
  return { scrape_configs: estate.stages.flatMap((stage) => scrapeConfig(stage).scrape_configs) };
}
