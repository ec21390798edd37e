/**
 * The estate as the spec configures it: the stages a build is promoted through, then each stage drawn as a
 * Mermaid flowchart plus the tables a reader needs beside it. Pure: spec in, Markdown out.
 */
import { TAG_ROLE, type EstateSpec, type ImageRepositorySpec, type ServiceSpec, type SubnetSpec } from '../spec';
import { hasConfigureHostsJob } from './workflows/configure-hosts-job';

/** Mermaid labels are quoted; a double quote inside one must be an entity. */
function label(...lines: string[]): string {
  return `"${lines.map((l) => l.replace(/"/g, '#quot;')).join('<br/>')}"`;
}

function azName(spec: ServiceSpec, index: number): string {
  const az = spec.network.availabilityZones.find((a) => a.index === index);
  return az?.name ?? `AZ ${az?.letter ?? index} (chosen at deploy)`;
}

function subnetNode(subnet: SubnetSpec): string {
  return `subnet_${subnet.name.replace(/-/g, '_')}`;
}

function containerLine(spec: ServiceSpec): string {
  const c = spec.container;
  return `${c.desiredCount}–${c.maxCount} × ${c.cpu} CPU / ${c.memoryMiB} MiB · port ${c.port}`;
}

export function renderArchitectureDiagram(spec: ServiceSpec): string {
  const { names, network, container } = spec;
  const publics = network.subnets.filter((s) => s.tier === 'public');
  const privates = network.subnets.filter((s) => s.tier === 'private');
  const https = container.certificateArn !== undefined;
  const lines: string[] = ['flowchart TB'];
  const add = (line: string) => lines.push(`  ${line}`);

  add('users((Internet))');
  add(`github[${label('GitHub Actions', `${spec.github.owner}/${spec.github.repo}`)}]`);
  add(`subgraph vpc[${label(`VPC ${names.vpc}`, `${network.cidr} · ${network.totalAddresses.toLocaleString('en-US')} addresses`)}]`);
  add(`  igw[${label('Internet gateway', names.internetGateway)}]`);
  add(`  subgraph public_tier[${label('Public subnets · route 0.0.0.0/0 → gateway')}]`);
  for (const s of publics) add(`    ${subnetNode(s)}[${label(s.name, `${s.cidr} · ${s.usableAddresses} usable`, azName(spec, s.azIndex))}]`);
  add(`    alb[${label(`Application Load Balancer ${names.loadBalancer}`, https ? 'HTTPS :443 · HTTP :80 redirects' : 'HTTP :80')}]`);
  if (network.egress !== 'none') add(`    nat[${label(network.egress === 'nat-gateway' ? 'NAT gateway (one)' : 'NAT gateway per AZ')}]`);
  add('  end');
  add(`  subgraph private_tier[${label(network.egress === 'none' ? 'Private subnets · no internet route (VPC endpoints)' : 'Private subnets · egress through NAT')}]`);
  for (const s of privates) add(`    ${subnetNode(s)}[${label(s.name, `${s.cidr} · ${s.usableAddresses} usable`, azName(spec, s.azIndex))}]`);
  if (spec.platform === 'ecs-fargate') {
    add(`    service[${label(`ECS Fargate service ${names.ecsService}`, containerLine(spec), 'circuit breaker + rollback, CPU autoscaling')}]`);
  } else {
    add(`    service[${label(`EKS ${names.eksCluster} · Fargate profile`, `Deployment ${names.ecsService}: ${containerLine(spec)}`, 'AWS Load Balancer Controller binds the pods to the target group')}]`);
  }
  if (spec.hosts.count > 0) add(`    hosts[${label(`EC2 hosts × ${spec.hosts.count}`, `${spec.hosts.instanceType} · Ansible over SSM`)}]`);
  if (spec.database === 'aurora-postgresql') add(`    db[(${label(`Aurora PostgreSQL ${names.auroraCluster}`, 'Serverless v2 · writer + reader')})]`);
  add(`    search[(${label(`OpenSearch ${names.openSearchDomain}`, `${spec.logs.openSearchDataNodes} × ${spec.logs.openSearchInstanceType} · zone aware`)})]`);
  add(`    shipper[${label(`Lambda ${names.logShipperFunction}`)}]`);
  add('  end');
  add('end');
  add(`ecr[(${label(`ECR ${names.ecrRepository} (shared)`, `in ${ownerWhere(spec.imageRepository)} · scan on push · immutable tags · last ${container.keepImages}`)})]`);
  add(`bucket[(${label('S3 data bucket', 'versioned · encrypted · TLS only')})]`);
  if (spec.database === 'dynamodb') add(`db[(${label(`DynamoDB ${names.dynamoTable}`, 'on demand · PITR')})]`);
  add(`logs[${label('CloudWatch Logs', names.appLogGroup)}]`);
  add(`metrics[${label(`CloudWatch dashboard ${names.dashboard}`, `alarms → SNS ${names.alarmTopic}`)}]`);
  add(`source[(${label('S3 release source', names.pipelineSourceKeyPrefix)})]`);
  add(`pipeline[${label(`CodePipeline ${names.pipeline}`, 'V2 · queued · IMAGE_URI variable')}]`);

  add('users --> igw --> alb');
  add(`alb -->|${label(`:${container.port}`)}| service`);
  add(`alb -.- ${publics.map(subnetNode).join(' & ')}`);
  add(`service -.- ${privates.map(subnetNode).join(' & ')}`);
  add('service --> bucket');
  if (spec.database !== 'none') add('service --> db');
  add('ecr -->|image| service');
  add('service -->|stdout| logs');
  add('logs -->|subscription| shipper -->|_bulk| search');
  add('service -.-> metrics');
  if (network.egress !== 'none') add(`${privates.map(subnetNode).join(' & ')} -.-> nat --> igw`);
  add(`github -->|${label('OIDC deploy role: push image')}| ecr`);
  add(`github -->|${label('upload cloud assembly')}| source --> pipeline`);
  // On ECS the image rolls out inside cdk deploy (the ImageUri parameter is its one path); EKS applies the manifest after.
  const stages = [...(spec.protectedEnvironment ? ['manual approval'] : []), ...(spec.platform === 'ecs-fargate' ? ['cdk deploy (rolls out the image)'] : ['cdk deploy', 'kubectl apply'])];
  add(`pipeline -->|${label(stages.join(' → '))}| service`);
  return lines.join('\n');
}

/** One stage's section: its diagram, subnets, paths and stacks. */
export function renderStageSection(spec: ServiceSpec): string {
  const { names, network } = spec;
  const rows = network.subnets.map(
    (s) => `| ${s.name} | ${s.tier} | ${azName(spec, s.azIndex)} | ${s.cidr} | ${s.totalAddresses} | ${s.usableAddresses} |`,
  );
  const stackRows = Object.entries(names.stacks).map(([lifecycle, stack]) => `| ${lifecycle} | \`${stack}\` |`);
  return [
    `## Stage \`${spec.environment}\``,
    '',
    `${where(spec)}, GitHub Environment \`${spec.environment}\`` +
      `${spec.protectedEnvironment ? ' (protected: deployments wait for the Environment\'s reviewers and a manual approval in the pipeline)' : ''}` +
      `${spec.stage.previous ? `; deploys what \`${spec.stage.previous}\` deployed, once it succeeded` : '; the first stage: every build deploys here first'}.`,
    '',
    '```mermaid',
    renderArchitectureDiagram(spec),
    '```',
    '',
    '### Subnets',
    '',
    `VPC \`${names.vpc}\` ${network.cidr} (${network.totalAddresses.toLocaleString('en-US')} addresses). AWS reserves 5 addresses in every subnet.`,
    '',
    '| subnet | tier | availability zone | CIDR | addresses | usable |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
    '### Request, log and release paths',
    '',
    `- **Requests**: internet → \`${names.internetGateway}\` → ALB \`${names.loadBalancer}\` (public subnets) → ` +
      `${spec.platform === 'ecs-fargate' ? `ECS service \`${names.ecsService}\`` : `EKS cluster \`${names.eksCluster}\``} on port ${spec.container.port} (private subnets), ` +
      `health check \`${spec.container.healthCheckPath}\`.`,
    `- **Data**: an S3 bucket${spec.database === 'dynamodb' ? ` and DynamoDB table \`${names.dynamoTable}\`` : spec.database === 'aurora-postgresql' ? ` and Aurora PostgreSQL \`${names.auroraCluster}\`` : ''}, retained on delete.`,
    `- **Logs**: CloudWatch Logs \`${names.appLogGroup}\` → Lambda \`${names.logShipperFunction}\` → OpenSearch \`${names.openSearchDomain}\`.`,
    `- **Releases**: the image was pushed once to the shared ECR \`${names.ecrRepository}\` (image-push role, repository variable \`vars.${spec.pipeline.imagePushRoleVariable}\`); ` +
      `GitHub Actions assumes this stage's deploy role (OIDC, environment \`${spec.environment}\`, its Environment variable \`vars.${spec.pipeline.deployRoleVariable}\`) to upload the same cloud assembly under ` +
      `\`${names.pipelineSourceKeyPrefix}\` and start \`${names.pipeline}\` with the same \`IMAGE_URI\` (repository@sha256 digest).`,
    ...(hasConfigureHostsJob(spec)
      ? [`- **Hosts**: after each deploy, the configure-hosts job assumes the hosts-configuration role (OIDC, environment \`${spec.environment}\`, ` +
        `\`vars.${spec.pipeline.hostsRoleVariable}\`) and configures every \`${TAG_ROLE}=${spec.hosts.role}\` host over SSM, new or replaced, through the transfer bucket.`]
      : []),
    '',
    '### Stacks',
    '',
    '| lifecycle | stack |',
    '|---|---|',
    ...stackRows,
    '',
  ].join('\n');
}

/** An unpinned stage deploys into the account of the credentials that deploy it. */
const UNPINNED_ACCOUNT = "the deploying credentials' account";

function accountOf(account: string | undefined): string {
  return account ?? UNPINNED_ACCOUNT;
}

function where(spec: ServiceSpec): string {
  return `${spec.account ? `Account \`${spec.account}\`` : "The deploying credentials' account"}, region \`${spec.region}\``;
}

function ownerWhere(repo: ImageRepositorySpec): string {
  return `${accountOf(repo.account)} · ${repo.region} (stage ${repo.ownerStage})`;
}

/** Mermaid node ids allow letters, digits and '_'; stage names are DNS labels. */
function stageNode(spec: ServiceSpec): string {
  return `stage_${spec.environment.replace(/-/g, '_')}`;
}

/** The promotion path: one build, one image in the shared repository, each stage in order with its network and guard. */
export function renderPromotionDiagram(estate: EstateSpec): string {
  const lines: string[] = ['flowchart LR'];
  const add = (line: string) => lines.push(`  ${line}`);
  const repo = estate.imageRepository;
  add(`build[${label('Build', `${estate.github.owner}/${estate.github.repo}`, 'image pushed once, one cloud assembly')}]`);
  add(`ecr[(${label(`ECR ${repo.name}`, ownerWhere(repo), ...(repo.pullAccounts.length > 0 ? [`pulled by ${repo.pullAccounts.join(', ')}`] : []))})]`);
  for (const stage of estate.stages) {
    add(`${stageNode(stage)}[${label(
      `${stage.stage.index + 1}. ${stage.environment}`,
      `${accountOf(stage.account)} · ${stage.region}`,
      `VPC ${stage.names.vpc} ${stage.network.cidr}`,
      stage.protectedEnvironment ? 'protected: reviewers + pipeline approval' : 'unprotected',
    )}]`);
  }
  add('build -->|image| ecr');
  const [first, ...rest] = estate.stages;
  add(`build -->|${label('same assembly + IMAGE_URI')}| ${stageNode(first)}`);
  rest.forEach((stage, i) => add(`${stageNode(estate.stages[i])} -->|${label(stage.protectedEnvironment ? 'succeeded → approval' : 'succeeded')}| ${stageNode(stage)}`));
  for (const stage of estate.stages) add(`ecr -.->|${label('pull by digest')}| ${stageNode(stage)}`);
  return lines.join('\n');
}

export function renderArchitectureDoc(estate: EstateSpec): string {
  const rows = estate.stages.map((s) =>
    `| ${s.stage.index + 1} | \`${s.environment}\` | ${accountOf(s.account)} | ${s.region} | \`${s.names.vpc}\` ${s.network.cidr} | ${s.protectedEnvironment ? 'yes' : 'no'} | \`${s.names.pipeline}\` |`);
  return [
    `# ${estate.serviceName}: architecture`,
    '',
    'Generated by `npx projen` from `.projenrc.ts` (do not edit).',
    '',
    '## Stages',
    '',
    `Every build is promoted through ${estate.stages.length === 1 ? 'one stage' : `${estate.stages.length} stages, in this order`}: the image is pushed once to the shared ECR ` +
      `repository \`${estate.imageRepository.name}\` and every stage deploys that same digest and the same cloud assembly; a stage that fails stops the promotion.`,
    '',
    '```mermaid',
    renderPromotionDiagram(estate),
    '```',
    '',
    '| # | stage | account | region | VPC | protected | pipeline |',
    '|---|---|---|---|---|---|---|',
    ...rows,
    '',
    ...estate.stages.map(renderStageSection),
  ].join('\n');
}
