/**
 * The summary a person reads after the main job: per stage its network plan, its
 * stacks and what to do for it; then what to do once. Pure: spec and stacks in, text out.
 */
import type { EstateSpec, ServiceSpec } from '../spec';
import type { SynthesizedStack } from './assembly';
import { availabilityZones, hostImage, renderPrerequisites } from './prerequisites';

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

/** The assembly's stacks that belong to this stage (its names.stacks), in the assembly's order. */
export function stageStacks(spec: ServiceSpec, stacks: readonly SynthesizedStack[]): SynthesizedStack[] {
  const own = new Set(Object.values(spec.names.stacks));
  return stacks.filter((s) => own.has(s.name));
}

export function renderStacks(stacks: readonly SynthesizedStack[], title = 'Stacks synthesized (offline, no AWS credentials used)'): string {
  if (stacks.length === 0) return 'Stacks: none synthesized yet.';
  const rows = stacks.map((s) => [s.name, s.resourceCount, s.outputs.length, `cdk.out/${s.templateFile}`]);
  return [title, table(['stack', 'resources', 'outputs', 'template'], rows)].join('\n');
}

/** The stack whose template has this output, else the stack the spec expects it in: the user copies the value from there. */
function outputStack(stacks: readonly SynthesizedStack[], output: string, expected: string): string {
  return stacks.find((s) => s.outputs.includes(output))?.name ?? expected;
}

function credentialsFor(spec: ServiceSpec): string {
  return spec.account === undefined ? `credentials for the account of stage ${spec.environment}` : `credentials for account ${spec.account}`;
}

/**
 * What to do for one stage: its first deploy, and the GitHub Environment named after it with the variables its
 * jobs read (Environment variables: each stage's roles and bucket are its own, the names the same in every stage).
 */
export function renderStageNextSteps(spec: ServiceSpec, stacks: readonly SynthesizedStack[] = []): string {
  const own = stageStacks(spec, stacks);
  const from = (output: string, expected: string) => `${output} output of ${outputStack(own, output, expected)}`;
  const { stacks: names } = spec.names;
  const variables = [
    `${spec.pipeline.deployRoleVariable} (${from('DeployRoleArn', names.access)})`,
    ...(spec.hosts.count > 0 ? [`${spec.pipeline.hostsRoleVariable} (${from('HostsConfigRoleArn', names.access)}: the configure-hosts job after each deploy)`] : []),
    `${spec.pipeline.sourceBucketVariable} (${from('SourceBucketName', names.delivery)})`,
  ];
  return [
    `Next for stage ${spec.environment}:`,
    `  a. First deploy, with ${credentialsFor(spec)} in ${spec.region}: 'npx cdk deploy ${names.access} ${names.delivery}' ` +
      '(delivery brings the stacks it needs; the service runs no task until the pipeline ships its first image).',
    `  b. In the repository settings, create the GitHub Environment '${spec.environment}'` +
      (spec.protectedEnvironment ? ' with required reviewers (the people who approve a deploy to it)' : '') +
      ` and set its Environment variables ${variables.join(', ')}.`,
  ].join('\n');
}

/** The steps every stage shares, said once: edit, test, the repository variable for the one image, push. */
export function renderNextSteps(estate: EstateSpec, stacks: readonly SynthesizedStack[] = []): string {
  const owner = estate.stages.find((s) => s.environment === estate.imageRepository.ownerStage) ?? estate.stages[0];
  // The role lives with the repository, in its owner stage: look there first.
  const ownerFirst = [...stageStacks(owner, stacks), ...stacks];
  const pushRole = `ImagePushRoleArn output of ${outputStack(ownerFirst, 'ImagePushRoleArn', owner.names.stacks.access)}`;
  const order = estate.stages.map((s) => s.environment).join(' → ');
  return [
    'Next:',
    `  1. To change the service, edit its options in .projenrc.ts (serviceName '${estate.serviceName}', stages ${order}) and run 'npx projen main' again.`,
    '  2. Run every test: npm test',
    `  3. For each stage, in order (${order}): its first deploy and its GitHub Environment, as listed under "Next for stage …" above.`,
    `  4. Set the repository variable ${estate.pipeline.imagePushRoleVariable} (${pushRole}): the image is pushed once, to ECR ${estate.imageRepository.name} ` +
      `in stage ${estate.imageRepository.ownerStage}'s account and region, and every stage deploys that digest.`,
    `  5. Push to ${estate.github.branches[0]}: the build deploys to ${order}, each stage once the one before it succeeded. README: "Setting up a new service repo" and "Stages".`,
  ].join('\n');
}

function stageHeader(spec: ServiceSpec, count: number): string {
  const where = `${spec.account ?? '<account-id>'}/${spec.region}`;
  const guard = spec.protectedEnvironment ? 'protected: reviewers and a pipeline approval' : 'unprotected';
  const from = spec.stage.previous ? `, promoted from ${spec.stage.previous}` : '';
  return `== Stage ${spec.stage.index + 1} of ${count}: ${spec.environment} (${where}, ${guard}${from}) ==`;
}

/** A stage's prerequisites, or a pointer to the earlier stage in the same account and region (they are the account's, said once). */
function stagePrerequisites(estate: EstateSpec, spec: ServiceSpec): string {
  const earlier = estate.stages.slice(0, spec.stage.index).find((s) => s.account === spec.account && s.region === spec.region);
  if (earlier === undefined) return renderPrerequisites(spec);
  return [
    `Before the first deploy: the account and region are stage ${earlier.environment}'s, so its prerequisites above hold here too.`,
    hostImage(spec),
    availabilityZones(spec),
  ].join('\n');
}

export function renderStageSummary(estate: EstateSpec, spec: ServiceSpec, stacks: readonly SynthesizedStack[]): string {
  return [
    stageHeader(spec, estate.stages.length),
    '',
    renderNetworkPlan(spec),
    '',
    renderStacks(stageStacks(spec, stacks), `Stacks of ${spec.environment} synthesized (offline, no AWS credentials used)`),
    '',
    stagePrerequisites(estate, spec),
    '',
    renderStageNextSteps(spec, stacks),
  ].join('\n');
}

export function renderSummary(estate: EstateSpec, stacks: readonly SynthesizedStack[]): string {
  const order = estate.stages.map((s) => s.environment).join(' → ');
  const claimed = new Set(estate.stages.flatMap((s) => Object.values(s.names.stacks)));
  // A stack of no one stage (an estate-wide one) is still listed, once.
  const shared = stacks.filter((s) => !claimed.has(s.name));
  const repo = estate.imageRepository;
  return [
    `Slipway: ${estate.serviceName} (${estate.stages.length === 1 ? 'one stage' : `${estate.stages.length} stages`}: ${order}; ${estate.platform}, database ${estate.database})`,
    `Image repository: ECR ${repo.name} in ${repo.account ?? '<account-id>'}/${repo.region} (stage ${repo.ownerStage}), one image for every stage` +
      (repo.pullAccounts.length > 0 ? `; pulled cross-account by ${repo.pullAccounts.join(', ')}` : '') + '.',
    '',
    ...estate.stages.flatMap((spec) => [renderStageSummary(estate, spec, stacks), '']),
    ...(shared.length > 0 ? [renderStacks(shared, 'Stacks shared by the stages'), ''] : []),
    renderNextSteps(estate, stacks),
  ].join('\n');
}
