/**
 * The one pure function every part of Slipway trusts: untrusted options in,
 * a complete ServiceSpec out, or a SpecValidationError listing every problem.
 */
import { applyDeprecations } from './deprecations';
import { NODE_EXPORTER_PRODUCT, PROCESS_EXPORTER_PRODUCT, exporterRelease } from './exporter-releases';
import { deriveNames, imageRepositoryName, maxServiceNameLength, tooLongNames } from './names';
import { LOG_RETENTION_DAYS, normaliseNetwork } from './network';
import {
  DATABASES,
  ECR_SEVERITIES,
  EcrSeverity,
  PLATFORMS,
  REGISTRIES,
  Registry,
  ServiceOptions,
  VERACODE_SEVERITIES,
} from './options';
import { Problems, quote } from './problems';
import {
  Obj,
  addMissing,
  readArray,
  readBoolean,
  readEnum,
  readInteger,
  readObject,
  readOptionalObject,
  readOptionalString,
  readString,
} from './read';
import { readRegion } from './regions';
import {
  DEPLOY_STOP_WINDOW_MINUTES,
  IAM_SESSION_SECONDS,
  ContainerSpec,
  GitHubSpec,
  HostsSpec,
  LogsSpec,
  MonitoringSpec,
  PipelineSpec,
  SPEC_SCHEMA_VERSION,
  ServiceSpec,
  EstateSpec,
  ImageRepositorySpec,
  TAG_ENVIRONMENT,
  TAG_SERVICE,
} from './spec';
import { StageFacts, StageInput, crossStageProblems, mergeStageOptions, mergeStageProblems, readStages, relocate } from './stages';

const SERVICE_KEYS: readonly (keyof ServiceOptions)[] = [
  'serviceName', 'region', 'account', 'environment', 'protectedEnvironment', 'stages', 'network', 'hosts', 'platform',
  'container', 'database', 'logs', 'alarms', 'github', 'pipeline', 'monitoring',
];

const DNS_LABEL = /^[a-z]([a-z0-9-]*[a-z0-9])?$/;
const ACCOUNT = /^\d{12}$/;
const GITHUB_OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
const GITHUB_REPO = /^[A-Za-z0-9._-]{1,100}$/;
const GITHUB_OIDC_PROVIDER_ARN = /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/;
const BRANCH = /^(?!\/|.*\/\/|.*\/$|.*\.\.)[A-Za-z0-9._/-]+$/;
const SECRET_NAME = /^[A-Z_][A-Z0-9_]*$/;
const AMI_ID = /^ami-([0-9a-f]{8}|[0-9a-f]{17})$/;
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;
const SEARCH_INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9]+\.search$/;
const SEMVER = /^\d+\.\d+\.\d+$/;
/** A release mirror's base: the controller appends /<name>/v<version>/<file>, so no query or fragment. */
const RELEASES_MIRROR = /^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/;
const HTTP_PATH = /^\/[A-Za-z0-9._~\/-]*$/;
const ACM_ARN = /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DOCKERHUB_REPO = /^[a-z0-9]+(?:[._-][a-z0-9]+)*\/[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const HTTPS_URL = /^https?:\/\/[^\s/$.?#].[^\s]*$/;
const DNS_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const HOSTED_ZONE_ID = /^Z[A-Z0-9]{1,31}$/;
const IAM_PRINCIPAL_ARN = /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@\/-]+$/;
const DIRECTORY = /^(?!\/)(?!.*\.\.)[A-Za-z0-9._\/-]+$/;

/** Valid Fargate memory (MiB) for each CPU size. */
export const FARGATE_MEMORY: Readonly<Record<number, readonly number[]>> = {
  256: [512, 1024, 2048],
  512: [1024, 2048, 3072, 4096],
  1024: [2048, 3072, 4096, 5120, 6144, 7168, 8192],
  2048: Array.from({ length: 13 }, (_, i) => 4096 + i * 1024),
  4096: Array.from({ length: 23 }, (_, i) => 8192 + i * 1024),
};

/** What one stage resolves to before the estate gives it its place, names and image repository. */
type StageCore = Omit<ServiceSpec, 'schemaVersion' | 'stage' | 'imageRepository' | 'names' | 'tags'>;

/**
 * Untrusted options in, the whole service out: every stage complete, or one SpecValidationError listing
 * every problem of every stage.
 */
export function normaliseEstate(raw: unknown): EstateSpec {
  const problems = new Problems();
  // Options renamed or removed in a template version (deprecations.ts): renames applied, removals reported.
  const deprecated = applyDeprecations(raw);
  for (const p of deprecated.problems) problems.add(p.path, p.message);
  const input = deprecated.options;
  const root = 'service';
  const obj = readObject(problems, root, input, SERVICE_KEYS, "{ serviceName: 'flask-app', region: 'eu-west-1', network: { … }, github: { owner: 'my-org' } }");
  if (!obj) {
    problems.throwIfAny();
    throw new Error('unreachable');
  }
  const serviceName = readServiceName(problems, `${root}.serviceName`, obj.serviceName);
  const environment = readOptionalString(problems, `${root}.environment`, obj.environment, {
    pattern: DNS_LABEL,
    maxLength: 20,
    describe: "a stage name such as 'production' (a lowercase DNS label: every name of the stage carries it)",
  });
  const inputs = readStages(problems, root, obj, obj.stages === undefined ? (obj.environment === undefined ? 'production' : environment) : undefined);
  const resolved = inputs.map((stage) => {
    const own = new Problems();
    const seen: SeenFacts = {};
    const core = normaliseStage(own, root, mergeStageOptions(obj, stage), seen);
    return { stage, core, seen, problems: own.list().map((p) => relocate(p, root, stage)) };
  });
  for (const p of mergeStageProblems(resolved)) problems.add(p.path, p.message);
  if (serviceName) for (const { stage } of resolved) nameLengthProblems(problems, serviceName, stage);
  crossStageProblems(problems, root, resolved.map(({ stage, seen }) => stageFacts(root, stage, seen)));

  problems.throwIfAny();
  const cores = resolved.map((r) => r.core);
  if (!serviceName || cores.some((c) => c === undefined) || cores.length === 0) throw new Error('unreachable: validated options are incomplete');
  const complete = cores as StageCore[];
  const imageRepository = imageRepositoryOf(serviceName, inputs, complete);
  const stages = complete.map((core, i): ServiceSpec => ({
    schemaVersion: SPEC_SCHEMA_VERSION,
    ...core,
    stage: {
      name: inputs[i].name,
      index: i,
      ...optional('previous', inputs[i - 1]?.name),
      ...optional('next', inputs[i + 1]?.name),
    },
    imageRepository,
    names: deriveNames(serviceName, inputs[i].name, core.region),
    tags: { [TAG_SERVICE]: serviceName, [TAG_ENVIRONMENT]: inputs[i].name },
  }));
  const first = stages[0];
  return {
    schemaVersion: SPEC_SCHEMA_VERSION,
    serviceName,
    stages,
    imageRepository,
    platform: first.platform,
    database: first.database,
    github: first.github,
    pipeline: first.pipeline,
    monitoring: first.monitoring,
  };
}

/**
 * The spec of a service with exactly one stage (the options set no `stages`, or one). Tests and tools that
 * handle one stage use it; a service with several stages is read with normaliseEstate.
 */
export function normaliseServiceOptions(input: unknown): ServiceSpec {
  const estate = normaliseEstate(input);
  if (estate.stages.length !== 1) {
    throw new Error(`the options declare ${estate.stages.length} stages (${estate.stages.map((s) => s.environment).join(', ')}); read them with normaliseEstate`);
  }
  return estate.stages[0];
}

function imageRepositoryOf(serviceName: string, inputs: readonly StageInput[], stages: readonly StageCore[]): ImageRepositorySpec {
  const owner = stages[0];
  const pullAccounts = [...new Set(stages.map((s) => s.account).filter((a): a is string => a !== undefined && a !== owner.account))];
  return {
    name: imageRepositoryName(serviceName),
    ownerStage: inputs[0].name,
    region: owner.region,
    ...optional('account', owner.account),
    pullAccounts,
  };
}

/**
 * What a stage's valid values say for the checks across stages, read even when another of its values is
 * wrong, so an overlap or an order problem is reported in the same run as the stage's own problems.
 */
interface SeenFacts {
  region?: string;
  account?: string;
  cidr?: string;
  protected?: boolean;
}

function stageFacts(root: string, stage: StageInput, seen: SeenFacts): StageFacts {
  const stageNetwork = stage.raw.network as { cidr?: unknown } | undefined;
  return {
    path: stage.path,
    name: stage.name,
    ...optional('account', seen.account),
    ...optional('region', seen.region),
    ...optional('cidr', seen.cidr),
    protected: seen.protected ?? false,
    promotesToUnprotected: stage.raw.promotesToUnprotected === true,
    cidrPath: stage.explicit && stageNetwork?.cidr !== undefined ? `${stage.path}.network.cidr` : `${root}.network.cidr`,
  };
}

/** AWS bounds some names' lengths, and every name carries both the service and the stage. */
function nameLengthProblems(problems: Problems, serviceName: string, stage: StageInput): void {
  const tooLong = tooLongNames(serviceName, stage.name);
  if (tooLong.length === 0) return;
  const which = tooLong.map((l) => `${l.what} '${l.name}' would be ${l.name.length} characters (limit ${l.max})`).join('; ');
  const max = maxServiceNameLength(stage.name.length);
  const path = stage.explicit ? `${stage.path}.name` : 'service.serviceName';
  problems.add(
    path,
    `service '${serviceName}' with stage '${stage.name}' is too long for the names derived from them: ${which}. ` +
      `Use a service name of at most ${max} characters with this stage, or a shorter stage name`,
  );
}

/** One stage's options (the service's with the stage's merged in) checked exactly as a single-stage service's. */
function normaliseStage(problems: Problems, root: string, obj: Obj, seen: SeenFacts = {}): StageCore | undefined {
  const serviceName = readServiceName(new Problems(), `${root}.serviceName`, obj.serviceName);
  const region = readRegion(problems, `${root}.region`, obj.region);
  const account = readOptionalString(problems, `${root}.account`, obj.account, { pattern: ACCOUNT, describe: 'a 12-digit AWS account id' });
  const environment = typeof obj.environment === 'string' ? obj.environment : 'production';
  const network = normaliseNetwork(problems, `${root}.network`, obj.network, region);
  const azCount = network?.availabilityZones.length ?? 2;
  const hosts = readHosts(problems, `${root}.hosts`, obj.hosts);
  const platform = readEnum(problems, `${root}.platform`, obj.platform, PLATFORMS, 'ecs-fargate');
  if (platform === 'eks' && network?.egress === 'none') {
    // IRSA (STS) and the AWS Load Balancer Controller (ELB/EC2 APIs) run in the pods and need the AWS APIs.
    problems.add(
      `${root}.network.egress`,
      "'none' leaves EKS pods without the AWS APIs they call (STS for their IAM role, the load balancer controller's ELB/EC2 calls); " +
        "set egress: 'nat-gateway' (or 'nat-gateway-per-az'), or use platform: 'ecs-fargate', which runs with VPC endpoints only",
    );
  }
  const container = readContainer(problems, `${root}.container`, obj.container);
  const servesHttps = container.certificateArn !== undefined || container.domain !== undefined;
  const protectedEnvironment = readBoolean(problems, `${root}.protectedEnvironment`, obj.protectedEnvironment, servesHttps);
  if (protectedEnvironment && !servesHttps) {
    problems.add(
      `${root}.protectedEnvironment`,
      'a protected environment serves HTTPS only, and this service has no certificate: set container.domain ' +
        "({ name: 'app.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ', hostedZoneName: 'example.com' }: a certificate is issued by DNS validation) " +
        "or container.certificateArn ('arn:aws:acm:<region>:<account>:certificate/<id>'), or set protectedEnvironment: false until the service has a domain",
    );
  }
  const database = readEnum(problems, `${root}.database`, obj.database, DATABASES, 'dynamodb');
  const logs = readLogs(problems, `${root}.logs`, obj.logs, azCount, protectedEnvironment);
  const alarmsObj = readOptionalObject(problems, `${root}.alarms`, obj.alarms, ['email']);
  const email = readOptionalString(problems, `${root}.alarms.email`, alarmsObj.email, { pattern: EMAIL, describe: 'an email address' });
  if (protectedEnvironment && alarmsObj.email === undefined) {
    // An alarm topic without a subscriber notifies no one; in a protected environment that is an outage nobody hears of.
    problems.add(
      `${root}.alarms.email`,
      "a protected environment needs someone to receive its alarms, but no subscriber is set; add alarms: { email: 'oncall@example.com' } " +
        '(your on-call address), or set protectedEnvironment: false',
    );
  }
  const github = readGitHub(problems, `${root}.github`, obj.github, serviceName);
  const pipeline = readPipeline(problems, `${root}.pipeline`, obj.pipeline, github);
  const monitoring = readMonitoring(problems, `${root}.monitoring`, obj.monitoring);
  if (pipeline.registry === 'dockerhub' && network?.egress === 'none') {
    // Without egress the private subnets reach AWS only through VPC endpoints: ECR yes, Docker Hub never.
    problems.add(
      `${root}.pipeline.registry`,
      "'dockerhub' needs the tasks to reach the internet, but network.egress is 'none' (VPC endpoints only); " +
        "set network.egress: 'nat-gateway' (or 'nat-gateway-per-az'), or use registry: 'ecr'",
    );
  }
  Object.assign(seen, { region, account, cidr: network?.cidr, protected: protectedEnvironment });
  if (problems.count > 0 || !serviceName || !region || !network || !github) return undefined;
  return {
    serviceName,
    region,
    ...(account ? { account } : {}),
    environment,
    protectedEnvironment,
    network,
    hosts,
    platform,
    container,
    database,
    logs,
    alarms: email ? { email } : {},
    github,
    pipeline,
    monitoring,
  };
}

function readServiceName(problems: Problems, path: string, value: unknown): string | undefined {
  if (value === undefined) {
    addMissing(problems, path, "'flask-app' (a lowercase DNS label; every resource name derives from it)");
    return undefined;
  }
  if (typeof value !== 'string') {
    problems.add(path, `expected a string such as 'flask-app', got ${quote(value)}`);
    return undefined;
  }
  if (!DNS_LABEL.test(value)) {
    const suggestion = value.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^[^a-z]+/, '').replace(/-+$/, '');
    problems.add(
      path,
      `${quote(value)} is not a lowercase DNS label: use a–z, 0–9 and '-', starting with a letter and not ending with '-'` +
        (suggestion && DNS_LABEL.test(suggestion) ? ` (e.g. '${suggestion}')` : ''),
    );
    return undefined;
  }
  return value;
}

function readHosts(problems: Problems, path: string, value: unknown): HostsSpec {
  const o = readOptionalObject(problems, path, value, ['count', 'instanceType', 'rootVolumeGiB', 'dataVolumeGiB', 'role', 'imageId']);
  const imageId = readOptionalString(problems, `${path}.imageId`, o.imageId, {
    pattern: AMI_ID,
    describe: "an AMI id such as 'ami-0abcdef1234567890' (ami- and 8 or 17 lowercase hex digits)",
  });
  return {
    count: readInteger(problems, `${path}.count`, o.count, 2, { min: 0, max: 50 }),
    instanceType:
      readOptionalString(problems, `${path}.instanceType`, o.instanceType, { pattern: INSTANCE_TYPE, describe: "an EC2 instance type such as 't3.small'" }) ??
      't3.small',
    rootVolumeGiB: readInteger(problems, `${path}.rootVolumeGiB`, o.rootVolumeGiB, 20, { min: 8, max: 16384 }),
    dataVolumeGiB: readInteger(problems, `${path}.dataVolumeGiB`, o.dataVolumeGiB, 0, { min: 0, max: 16384 }),
    role: readOptionalString(problems, `${path}.role`, o.role, { pattern: DNS_LABEL, maxLength: 32, describe: "a lowercase label such as 'app'" }) ?? 'app',
    ...optional('imageId', imageId),
  };
}

function readContainer(problems: Problems, path: string, value: unknown): ContainerSpec {
  const o = readOptionalObject(problems, path, value, [
    'port', 'healthCheckPath', 'cpu', 'memoryMiB', 'desiredCount', 'maxCount', 'cpuTargetPercent', 'certificateArn', 'domain', 'keepImages', 'imageContext',
  ]);
  const cpu = readInteger(problems, `${path}.cpu`, o.cpu, 256, { min: 256, max: 4096, oneOf: [256, 512, 1024, 2048, 4096] });
  const memoryMiB = readInteger(problems, `${path}.memoryMiB`, o.memoryMiB, FARGATE_MEMORY[cpu][0], { min: 512, max: 30720 });
  if (o.memoryMiB !== undefined && !FARGATE_MEMORY[cpu].includes(memoryMiB)) {
    problems.add(`${path}.memoryMiB`, `${memoryMiB} MiB is not a valid Fargate size for ${cpu} CPU units; use one of ${FARGATE_MEMORY[cpu].join(', ')}`);
  }
  const desiredCount = readInteger(problems, `${path}.desiredCount`, o.desiredCount, 2, { min: 1, max: 100 });
  const maxCount = readInteger(problems, `${path}.maxCount`, o.maxCount, Math.max(4, desiredCount), { min: 1, max: 100 });
  if (maxCount < desiredCount) {
    problems.add(`${path}.maxCount`, `${maxCount} is below desiredCount ${desiredCount}; use at least ${desiredCount}`);
  }
  const port = readInteger(problems, `${path}.port`, o.port, 8000, { min: 1, max: 65535 });
  if (port === 9100) problems.add(`${path}.port`, '9100 is the node_exporter port on the hosts; choose another port such as 8000');
  return {
    port,
    healthCheckPath:
      readOptionalString(problems, `${path}.healthCheckPath`, o.healthCheckPath, { pattern: HTTP_PATH, maxLength: 1024, describe: "an absolute URL path such as '/health'" }) ?? '/health',
    cpu,
    memoryMiB,
    desiredCount,
    maxCount,
    cpuTargetPercent: readInteger(problems, `${path}.cpuTargetPercent`, o.cpuTargetPercent, 60, { min: 10, max: 95 }),
    ...optional('certificateArn', readOptionalString(problems, `${path}.certificateArn`, o.certificateArn, {
      pattern: ACM_ARN,
      describe: "an ACM certificate ARN such as 'arn:aws:acm:eu-west-1:123456789012:certificate/…'",
    })),
    ...optional('domain', readDomain(problems, `${path}.domain`, o.domain)),
    keepImages: readInteger(problems, `${path}.keepImages`, o.keepImages, 20, { min: 1, max: 1000 }),
    imageContext:
      readOptionalString(problems, `${path}.imageContext`, o.imageContext, { pattern: DIRECTORY, describe: "a relative directory such as 'app'" }) ?? 'app',
  };
}

function readDomain(problems: Problems, path: string, value: unknown): ContainerSpec['domain'] {
  if (value === undefined) return undefined;
  const o = readObject(problems, path, value, ['name', 'hostedZoneId', 'hostedZoneName']);
  if (!o) return undefined;
  const describe = "a DNS name such as 'app.example.com'";
  const name = readString(problems, `${path}.name`, o.name, { pattern: DNS_NAME, maxLength: 253, describe });
  const hostedZoneId = readString(problems, `${path}.hostedZoneId`, o.hostedZoneId, { pattern: HOSTED_ZONE_ID, describe: "a Route 53 hosted zone id such as 'Z0123456789ABCDEFGHIJ'" });
  const hostedZoneName = readString(problems, `${path}.hostedZoneName`, o.hostedZoneName, { pattern: DNS_NAME, maxLength: 253, describe: "the hosted zone's domain such as 'example.com'" });
  if (name && hostedZoneName && name !== hostedZoneName && !name.endsWith(`.${hostedZoneName}`)) {
    problems.add(`${path}.name`, `'${name}' is not inside the hosted zone '${hostedZoneName}'; use a name ending in '.${hostedZoneName}' (or the zone's own name)`);
  }
  if (!name || !hostedZoneId || !hostedZoneName) return undefined;
  return { name, hostedZoneId, hostedZoneName };
}

/** OpenSearch allows 3 or 5 dedicated masters (an odd quorum); 0 means none. */
const MASTER_NODE_COUNTS = [0, 3, 5];

function readLogs(problems: Problems, path: string, value: unknown, azCount: number, protectedEnvironment: boolean): LogsSpec {
  const o = readOptionalObject(problems, path, value, [
    'retentionDays', 'openSearchInstanceType', 'openSearchDataNodes', 'openSearchVolumeGiB', 'createServiceLinkedRole', 'openSearchMasterNodes',
    'openSearchMasterInstanceType', 'readerPrincipalArns',
  ]);
  // AWS's guidance for production domains: three dedicated masters, data nodes spread over the AZs, no burstable (T) types
  // (https://docs.aws.amazon.com/opensearch-service/latest/developerguide/bp.html). The small sizing is for unprotected environments.
  const defaultNodes = protectedEnvironment ? (azCount >= 3 ? 3 : 2 * azCount) : azCount;
  const nodes = readInteger(problems, `${path}.openSearchDataNodes`, o.openSearchDataNodes, defaultNodes, { min: 1, max: 80 });
  if (nodes % azCount !== 0) {
    problems.add(`${path}.openSearchDataNodes`, `${nodes} data nodes cannot be spread evenly over ${azCount} AZs (zone awareness); use a multiple of ${azCount}`);
  }
  const masters = readInteger(problems, `${path}.openSearchMasterNodes`, o.openSearchMasterNodes, protectedEnvironment ? 3 : 0, { min: 0, max: 5, oneOf: MASTER_NODE_COUNTS });
  if (protectedEnvironment && masters === 0 && nodes < 3) {
    problems.add(
      `${path}.openSearchMasterNodes`,
      'a protected environment\'s domain needs three dedicated master nodes or at least three data nodes to keep a quorum when one node is lost; ' +
        'set openSearchMasterNodes: 3 (the default when protected) or openSearchDataNodes to 3 or more',
    );
  }
  const searchType = (key: string, fallback: string) =>
    readOptionalString(problems, `${path}.${key}`, o[key], { pattern: SEARCH_INSTANCE_TYPE, describe: "an OpenSearch instance type such as 'm7g.large.search'" }) ?? fallback;
  const instanceType = searchType('openSearchInstanceType', protectedEnvironment ? 'm7g.large.search' : 't3.small.search');
  const masterInstanceType = searchType('openSearchMasterInstanceType', 'm7g.large.search');
  if (protectedEnvironment && instanceType.startsWith('t')) {
    problems.add(`${path}.openSearchInstanceType`, `'${instanceType}' is a burstable type, which AWS does not recommend for production domains; use e.g. 'm7g.large.search', or protectedEnvironment: false`);
  }
  const readers =
    o.readerPrincipalArns === undefined
      ? []
      : (readArray(problems, `${path}.readerPrincipalArns`, o.readerPrincipalArns, (v, p) =>
        readString(problems, p, v, { pattern: IAM_PRINCIPAL_ARN, describe: "an IAM role or user ARN such as 'arn:aws:iam::123456789012:role/operators'" })) ?? []);
  return {
    retentionDays: readInteger(problems, `${path}.retentionDays`, o.retentionDays, 30, { min: 1, max: 3653, oneOf: LOG_RETENTION_DAYS }),
    openSearchInstanceType: instanceType,
    openSearchDataNodes: nodes,
    openSearchVolumeGiB: readInteger(problems, `${path}.openSearchVolumeGiB`, o.openSearchVolumeGiB, 20, { min: 10, max: 3072 }),
    createServiceLinkedRole: readBoolean(problems, `${path}.createServiceLinkedRole`, o.createServiceLinkedRole, false),
    openSearchMasterNodes: masters,
    openSearchMasterInstanceType: masterInstanceType,
    readerPrincipalArns: readers,
  };
}

function readGitHub(problems: Problems, path: string, value: unknown, serviceName: string | undefined): GitHubSpec | undefined {
  const o = readObject(problems, path, value, ['owner', 'repo', 'branches', 'oidcProviderArn', 'createOidcProvider'], "{ owner: 'my-org' }");
  if (!o) return undefined;
  const owner = readString(problems, `${path}.owner`, o.owner, { pattern: GITHUB_OWNER, describe: 'a GitHub user or organisation name', example: "'my-org'" });
  const repo =
    o.repo === undefined ? serviceName : readString(problems, `${path}.repo`, o.repo, { pattern: GITHUB_REPO, describe: 'a GitHub repository name' });
  const branches =
    o.branches === undefined
      ? ['main']
      : readArray(problems, `${path}.branches`, o.branches, (b, p) => readString(problems, p, b, { pattern: BRANCH, describe: "a branch name such as 'main'" }));
  if (branches && branches.length === 0) problems.add(`${path}.branches`, "the list is empty; give at least one branch, e.g. ['main']");
  const oidcProviderArn = readOptionalString(problems, `${path}.oidcProviderArn`, o.oidcProviderArn, {
    pattern: GITHUB_OIDC_PROVIDER_ARN,
    describe: "the ARN of the account's GitHub OIDC provider, 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com'",
  });
  const createOidcProvider = readBoolean(problems, `${path}.createOidcProvider`, o.createOidcProvider, false);
  if (createOidcProvider && oidcProviderArn) {
    problems.add(`${path}.createOidcProvider`, 'is true but oidcProviderArn names an existing provider; keep one: the existing provider (remove createOidcProvider) or a new one (remove oidcProviderArn)');
  }
  if (!owner || !repo || !branches) return undefined;
  return { owner, repo, branches, ...optional('oidcProviderArn', oidcProviderArn), createOidcProvider };
}

function readPipeline(problems: Problems, path: string, value: unknown, github: GitHubSpec | undefined): PipelineSpec {
  const o: Obj = readOptionalObject(problems, path, value, [
    'registry', 'dockerHubRepository', 'stages', 'secrets', 'deployRoleVariable', 'imagePushRoleVariable', 'hostsRoleVariable', 'sourceBucketVariable', 'sonar', 'imageScanThreshold',
    'veracodeFailOnSeverity', 'nodeVersion', 'deployWaitMinutes', 'codeScanning', 'appTestCommand', 'appTestPackages',
  ]);
  const registry = readEnum(problems, `${path}.registry`, o.registry, REGISTRIES, 'ecr');
  const dockerHubRepository = readOptionalString(problems, `${path}.dockerHubRepository`, o.dockerHubRepository, {
    pattern: DOCKERHUB_REPO,
    describe: "a Docker Hub repository such as 'my-org/flask-app'",
  });
  if (registry === 'dockerhub' && o.dockerHubRepository === undefined) {
    problems.add(`${path}.dockerHubRepository`, "registry is 'dockerhub' but no repository is set; add dockerHubRepository: 'namespace/name'");
  }
  const stagesObj = readOptionalObject(problems, `${path}.stages`, o.stages, ['sonar', 'veracode', 'image', 'deploy']);
  const stages = {
    sonar: readBoolean(problems, `${path}.stages.sonar`, stagesObj.sonar, true),
    veracode: readBoolean(problems, `${path}.stages.veracode`, stagesObj.veracode, true),
    image: readBoolean(problems, `${path}.stages.image`, stagesObj.image, true),
    deploy: readBoolean(problems, `${path}.stages.deploy`, stagesObj.deploy, true),
  };
  if (stages.deploy && !stages.image) {
    problems.add(`${path}.stages.deploy`, 'deploy needs the image stage (it deploys the image that stage pushes); turn image on or set deploy: false');
  }
  const secretsObj = readOptionalObject(problems, `${path}.secrets`, o.secrets, ['sonarToken', 'veracodeApiId', 'veracodeApiKey', 'dockerHubUsername', 'dockerHubToken']);
  const secret = (key: string, fallback: string) =>
    readOptionalString(problems, `${path}.secrets.${key}`, secretsObj[key], { pattern: SECRET_NAME, describe: 'a GitHub secret name in UPPER_SNAKE_CASE' }) ?? fallback;
  const sonarObj = readOptionalObject(problems, `${path}.sonar`, o.sonar, ['hostUrl', 'organization', 'projectKey']);
  const owner = github?.owner ?? 'owner';
  const repo = github?.repo ?? 'repo';
  const variable = (key: string, fallback: string) =>
    readOptionalString(problems, `${path}.${key}`, o[key], { pattern: SECRET_NAME, describe: 'a GitHub variable name in UPPER_SNAKE_CASE' }) ?? fallback;
  const deployWaitMinutes = readInteger(problems, `${path}.deployWaitMinutes`, o.deployWaitMinutes, 60, { min: 10, max: 600 });
  const deployJobTimeoutMinutes = deployWaitMinutes + DEPLOY_STOP_WINDOW_MINUTES;
  // Whole hours, so the credentials outlast the job's own timeout (the job is cancelled first).
  const deploySessionSeconds = Math.max(IAM_SESSION_SECONDS.min, Math.ceil(deployJobTimeoutMinutes / 60) * 3600);
  const deployRoleVariable = variable('deployRoleVariable', 'AWS_DEPLOY_ROLE_ARN');
  const imagePushRoleVariable = variable('imagePushRoleVariable', 'AWS_IMAGE_PUSH_ROLE_ARN');
  if (deployRoleVariable === imagePushRoleVariable) {
    problems.add(`${path}.imagePushRoleVariable`, `is '${imagePushRoleVariable}', the same variable as deployRoleVariable; the two roles have different ARNs, so give each its own variable`);
  }
  const hostsRoleVariable = variable('hostsRoleVariable', 'AWS_HOSTS_ROLE_ARN');
  for (const [other, name] of [['deployRoleVariable', deployRoleVariable], ['imagePushRoleVariable', imagePushRoleVariable]] as const) {
    if (hostsRoleVariable === name) {
      problems.add(`${path}.hostsRoleVariable`, `is '${hostsRoleVariable}', the same variable as ${other}; the hosts-configuration role has its own ARN, so give it its own variable`);
    }
  }
  return {
    registry,
    ...optional('dockerHubRepository', dockerHubRepository),
    stages,
    secrets: {
      sonarToken: secret('sonarToken', 'SONAR_TOKEN'),
      veracodeApiId: secret('veracodeApiId', 'VERACODE_API_ID'),
      veracodeApiKey: secret('veracodeApiKey', 'VERACODE_API_KEY'),
      dockerHubUsername: secret('dockerHubUsername', 'DOCKERHUB_USERNAME'),
      dockerHubToken: secret('dockerHubToken', 'DOCKERHUB_TOKEN'),
    },
    deployRoleVariable,
    imagePushRoleVariable,
    hostsRoleVariable,
    deployWaitMinutes,
    deploySessionSeconds,
    deployJobTimeoutMinutes,
    codeScanning: readBoolean(problems, `${path}.codeScanning`, o.codeScanning, false),
    appTestCommand:
      readOptionalString(problems, `${path}.appTestCommand`, o.appTestCommand, { pattern: /^\S.*$/, describe: "a shell command such as 'python3 -m pytest -q'" }) ??
      'python3 -m pytest -q -p no:cacheprovider',
    appTestPackages:
      o.appTestPackages === undefined
        ? ['python3-flask', 'python3-pytest']
        : readArray(problems, `${path}.appTestPackages`, o.appTestPackages, (v, p) =>
          readString(problems, p, v, { pattern: /^[a-z0-9][a-z0-9+.-]+$/, describe: "a Debian package name such as 'python3-flask'" })) ?? [],
    sourceBucketVariable:
      readOptionalString(problems, `${path}.sourceBucketVariable`, o.sourceBucketVariable, { pattern: SECRET_NAME, describe: 'a GitHub variable name in UPPER_SNAKE_CASE' }) ??
      'PIPELINE_SOURCE_BUCKET',
    sonar: {
      hostUrl: readOptionalString(problems, `${path}.sonar.hostUrl`, sonarObj.hostUrl, { pattern: HTTPS_URL, describe: "a URL such as 'https://sonarcloud.io'" }) ?? 'https://sonarcloud.io',
      organization:
        readOptionalString(problems, `${path}.sonar.organization`, sonarObj.organization, { pattern: /^[a-z0-9][a-z0-9-_]*$/, describe: 'a SonarCloud organisation key' }) ??
        owner.toLowerCase(),
      projectKey:
        readOptionalString(problems, `${path}.sonar.projectKey`, sonarObj.projectKey, { pattern: /^[A-Za-z0-9_.:-]+$/, maxLength: 400, describe: 'a Sonar project key' }) ??
        `${owner}_${repo}`,
    },
    imageScanThreshold: readImageScanThreshold(problems, path, o.imageScanThreshold, registry),
    veracodeFailOnSeverity: readEnum(problems, `${path}.veracodeFailOnSeverity`, o.veracodeFailOnSeverity, VERACODE_SEVERITIES, 'high'),
    nodeVersion: readOptionalString(problems, `${path}.nodeVersion`, o.nodeVersion, { pattern: /^(?:22|24)$/, describe: "a supported Node.js LTS major: '22' or '24'" }) ?? '22',
  };
}

/** Docker Hub images are not scanned by the image action, so a threshold there would be a gate that never closes. */
function readImageScanThreshold(problems: Problems, path: string, value: unknown, registry: Registry): EcrSeverity {
  const threshold = readEnum(problems, `${path}.imageScanThreshold`, value, ECR_SEVERITIES, registry === 'dockerhub' ? 'NONE' : 'HIGH');
  if (registry === 'dockerhub' && threshold !== 'NONE') {
    problems.add(
      `${path}.imageScanThreshold`,
      `'${threshold}' needs the ECR image scan, but registry is 'dockerhub' and Docker Hub images are not scanned; use registry: 'ecr' or imageScanThreshold: 'NONE'`,
    );
  }
  return threshold;
}

function readMonitoring(problems: Problems, path: string, value: unknown): MonitoringSpec {
  const o = readOptionalObject(problems, path, value, [
    'nodeExporterVersion', 'nodeExporterPort', 'processExporterVersion', 'processExporterPort', 'processNames', 'logFiles', 'releasesMirror',
  ]);
  const version = (key: string, fallback: string) =>
    readOptionalString(problems, `${path}.${key}`, o[key], { pattern: SEMVER, describe: "a release version such as '1.8.2' (no leading 'v')" }) ?? fallback;
  const nodeExporterPort = readInteger(problems, `${path}.nodeExporterPort`, o.nodeExporterPort, 9100, { min: 1024, max: 65535 });
  const processExporterPort = readInteger(problems, `${path}.processExporterPort`, o.processExporterPort, 9256, { min: 1024, max: 65535 });
  if (nodeExporterPort === processExporterPort) {
    problems.add(`${path}.processExporterPort`, `${processExporterPort} is also the node_exporter port; give each exporter its own port (default 9256)`);
  }
  const list = (key: string, pattern: RegExp, describe: string) =>
    o[key] === undefined ? [] : (readArray(problems, `${path}.${key}`, o[key], (v, p) => readString(problems, p, v, { pattern, describe })) ?? []);
  const nodeExporterVersion = version('nodeExporterVersion', '1.8.2');
  const processExporterVersion = version('processExporterVersion', '0.8.3');
  const releasesMirror = readOptionalString(problems, `${path}.releasesMirror`, o.releasesMirror, {
    pattern: RELEASES_MIRROR,
    describe: "an http(s) URL without query or fragment such as 'https://artifacts.example/exporters'",
  })?.replace(/\/+$/, '');
  return {
    nodeExporterVersion,
    nodeExporterPort,
    processExporterVersion,
    processExporterPort,
    processNames: list('processNames', /^[A-Za-z0-9._-]{1,15}$/, "a process name (comm, at most 15 characters) such as 'gunicorn'"),
    logFiles: list('logFiles', /^\/[^\s*?]*[^\s/]$|^\/[^\s]*\*[^\s]*$/, "an absolute log file path or glob such as '/var/log/app/*.log'"),
    ...optional('releasesMirror', releasesMirror),
    releases: {
      nodeExporter: exporterRelease(NODE_EXPORTER_PRODUCT, nodeExporterVersion, releasesMirror),
      processExporter: exporterRelease(PROCESS_EXPORTER_PRODUCT, processExporterVersion, releasesMirror),
    },
  };
}

/** Spreads a key only when its value is present, keeping the spec free of `undefined`. */
function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}


