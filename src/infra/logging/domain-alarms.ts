/**
 * AWS's recommended CloudWatch alarms for an OpenSearch domain, the ones that
 * mean log shipping has stopped or is about to
 * (https://docs.aws.amazon.com/opensearch-service/latest/developerguide/cloudwatch-alarms.html).
 * Pure: the spec in, the alarm definitions out; the logs stack creates them.
 */
import type { LogsSpec } from '../../spec';

export interface DomainAlarmDefinition {
  /** The construct id, and the suffix of the alarm name. */
  readonly id: string;
  readonly metric: 'ClusterStatus.red' | 'FreeStorageSpace' | 'ClusterIndexWritesBlocked' | 'JVMMemoryPressure' | 'MasterJVMMemoryPressure';
  readonly statistic: 'Maximum' | 'Minimum';
  readonly periodMinutes: number;
  readonly evaluationPeriods: number;
  readonly comparison: 'GreaterThanOrEqualToThreshold' | 'LessThanOrEqualToThreshold';
  readonly threshold: number;
  readonly description: string;
}

export function domainAlarmDefinitions(logs: LogsSpec): DomainAlarmDefinition[] {
  // AWS: 25% of each node's storage rather than the fixed 20480 MiB; the metric is in MiB.
  const freeStorageMiB = Math.floor(logs.openSearchVolumeGiB * 1024 * 0.25);
  const definitions: DomainAlarmDefinition[] = [
    {
      id: 'ClusterRed',
      metric: 'ClusterStatus.red',
      statistic: 'Maximum',
      periodMinutes: 1,
      evaluationPeriods: 1,
      comparison: 'GreaterThanOrEqualToThreshold',
      threshold: 1,
      description: 'A primary shard and its replicas are unallocated: new log documents for that index are rejected',
    },
    {
      id: 'FreeStorageLow',
      metric: 'FreeStorageSpace',
      statistic: 'Minimum',
      periodMinutes: 1,
      evaluationPeriods: 1,
      comparison: 'LessThanOrEqualToThreshold',
      threshold: freeStorageMiB,
      description: `A data node is down to 25% (${freeStorageMiB} MiB) of its storage: lower logs.retentionDays or raise logs.openSearchVolumeGiB before writes are blocked`,
    },
    {
      id: 'IndexWritesBlocked',
      metric: 'ClusterIndexWritesBlocked',
      statistic: 'Maximum',
      periodMinutes: 5,
      evaluationPeriods: 1,
      comparison: 'GreaterThanOrEqualToThreshold',
      threshold: 1,
      description: 'The domain blocks writes (ClusterBlockException): every shipped batch goes to the dead-letter queue',
    },
    {
      id: 'JvmMemoryPressure',
      metric: 'JVMMemoryPressure',
      statistic: 'Maximum',
      periodMinutes: 1,
      evaluationPeriods: 3,
      comparison: 'GreaterThanOrEqualToThreshold',
      threshold: 95,
      description: 'Data node JVM memory pressure at 95%: out-of-memory errors follow; scale the data nodes up',
    },
  ];
  if (logs.openSearchMasterNodes > 0) {
    definitions.push({
      id: 'MasterJvmMemoryPressure',
      metric: 'MasterJVMMemoryPressure',
      statistic: 'Maximum',
      periodMinutes: 15,
      evaluationPeriods: 1,
      comparison: 'GreaterThanOrEqualToThreshold',
      threshold: 95,
      description: 'Dedicated master JVM memory pressure at 95%: the cluster may lose its elected master; scale the masters up',
    });
  }
  return definitions;
}

/** The alarm's name: the domain's name and the id in kebab case ('ClusterRed' → '<domain>-cluster-red'). */
export function domainAlarmName(domainName: string, definition: DomainAlarmDefinition): string {
  return `${domainName}-${definition.id.replace(/[A-Z]/g, (c, i: number) => `${i ? '-' : ''}${c.toLowerCase()}`)}`;
}

/** Every domain alarm's name; the alarm topic's policy lets exactly these (and its own stack's alarms) publish. */
export function domainAlarmNames(spec: { readonly logs: LogsSpec; readonly names: { readonly openSearchDomain: string } }): string[] {
  return domainAlarmDefinitions(spec.logs).map((d) => domainAlarmName(spec.names.openSearchDomain, d));
}
