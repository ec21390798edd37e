/**
 * The summary a person reads after the main job: the network plan, the
 * stacks and what to do next. Pure: spec and stacks in, text out.
 */
import type { ServiceSpec } from '../spec';
import type { SynthesizedStack } from './assembly';
import { renderPrerequisites } from './prerequisites';

/** Renders rows as an aligned text table with a header rule; numeric columns align right. */
export function table(headers: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const numeric = headers.map((_, c) => rows.length > 0 && rows.every((r) => typeof r[c] === 'number'));
  const widths = headers.map((_, c) => Math.max(...cells.map((r) => r[c].length)));
  const line = (r: readonly string[]) =>
    r.map((cell, c) => (numeric[c] ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd();
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

export function azLabel(spec: ServiceSpec, azIndex: number): string {
  const az = spec.network.availabilityZones[azIndex];
  return az.name ?? `${spec.region} AZ #${az.index + 1}`;
}

export function renderNetworkPlan(spec: ServiceSpec): string {
  const rows = spec.network.subnets.map((s) => [s.name, s.tier, azLabel(spec, s.azIndex), s.cidr, s.totalAddresses, s.usableAddresses]);
  const used = spec.network.subnets.reduce((n, s) => n + s.totalAddresses, 0);
  return [
    `Network plan for ${spec.names.vpc} (${spec.network.cidr}, ${spec.network.totalAddresses.toLocaleString('en-US')} addresses, ` +
      `${used.toLocaleString('en-US')} allocated to subnets; AWS reserves 5 per subnet)`,
    table(['subnet', 'tier', 'availability zone', 'cidr', 'total', 'usable'], rows),
  ].join('\n');
}

export function renderStacks(stacks: readonly SynthesizedStack[]): string {
  if (stacks.length === 0) return 'Stacks: none synthesized yet.';
  const rows = stacks.map((s) => [s.name, s.resourceCount, s.outputs.length, `cdk.out/${s.templateFile}`]);
  return ['Stacks synthesized (offline, no AWS credentials used)', table(['stack', 'resources', 'outputs', 'template'], rows)].join('\n');
}

export function renderNextSteps(spec: ServiceSpec): string {
  return [
    'Next:',
    `  1. To change the service, edit its options in .projenrc.ts (serviceName '${spec.serviceName}', region ${spec.region}) and run 'npx projen main' again.`,
    '  2. Run every test: npm test',
    `  3. First deploy: 'npx cdk bootstrap', then 'npx cdk deploy ${spec.names.stacks.access} ${spec.names.stacks.delivery}' ` +
      '(delivery brings the stacks it needs; the service runs no task until the pipeline ships its first image).',
    `  4. Set the repository variables ${spec.pipeline.imagePushRoleVariable} (ImagePushRoleArn output), ${spec.pipeline.deployRoleVariable} (DeployRoleArn output)` +
      (spec.hosts.count > 0 ? `, ${spec.pipeline.hostsRoleVariable} (HostsConfigRoleArn output: the configure-hosts job after each deploy)` : '') +
      ` and ${spec.pipeline.sourceBucketVariable} (SourceBucketName output), then push to ${spec.github.branches[0]}. README: "Setting up a new service repo".`,
  ].join('\n');
}

export function renderSummary(spec: ServiceSpec, stacks: readonly SynthesizedStack[]): string {
  return [
    `Slipway: ${spec.serviceName} (${spec.environment}, ${spec.region}, ${spec.platform}, database ${spec.database})`,
    '',
    renderNetworkPlan(spec),
    '',
    renderStacks(stacks),
    '',
    renderPrerequisites(spec),
    '',
    renderNextSteps(spec),
  ].join('\n');
}
