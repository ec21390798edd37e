/**
 * An offline, `cdk diff`-style comparison of two synthesized cloud
 * assemblies: which stacks, resources, outputs and parameters a change adds,
 * removes or modifies, which of those touch security (IAM, security groups,
 * network ACLs, resource policies), and which may replace a resource.
 * Pure: templates in, a structured diff out.
 */

export interface Template {
  readonly Resources?: Readonly<Record<string, Resource>>;
  readonly Outputs?: Readonly<Record<string, unknown>>;
  readonly Parameters?: Readonly<Record<string, unknown>>;
}

export interface Resource {
  readonly Type: string;
  readonly Properties?: Readonly<Record<string, unknown>>;
  readonly [attribute: string]: unknown;
}

export type ChangeKind = 'added' | 'removed' | 'modified';

export interface ValueChange {
  /** Dotted path below the resource, e.g. 'Properties.CidrBlock' or 'Properties.Tags[+]'. */
  readonly path: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

export interface ResourceChange {
  readonly logicalId: string;
  readonly kind: ChangeKind;
  readonly type: string;
  readonly changes: readonly ValueChange[];
  /** IAM, security group, network ACL or resource-policy changes: a reviewer should read these. */
  readonly securityRelevant: boolean;
  /** Properties whose change CloudFormation documents as "Update requires: Replacement". */
  readonly replacedBy: readonly string[];
}

export interface NamedChange {
  readonly name: string;
  readonly kind: ChangeKind;
  readonly before?: unknown;
  readonly after?: unknown;
}

export interface StackDiff {
  readonly stack: string;
  readonly kind: ChangeKind | 'unchanged';
  readonly resources: readonly ResourceChange[];
  readonly outputs: readonly NamedChange[];
  readonly parameters: readonly NamedChange[];
}

export interface AssemblyDiff {
  readonly stacks: readonly StackDiff[];
}

/** CDK bookkeeping that changes with every CDK release and says nothing about the infrastructure. */
const IGNORED_RESOURCE_TYPES = new Set(['AWS::CDK::Metadata']);
const IGNORED_PATHS = [/^Metadata\.aws:cdk:path$/, /^Metadata\.aws:asset:/];

const SECURITY_TYPES = [
  /^AWS::IAM::/,
  /^AWS::EC2::SecurityGroup/,
  /^AWS::EC2::NetworkAcl/,
  /^AWS::KMS::Key$/,
  /^AWS::S3::BucketPolicy$/,
  /^AWS::SQS::QueuePolicy$/,
  /^AWS::SNS::TopicPolicy$/,
  /^AWS::Lambda::Permission$/,
  /^AWS::SecretsManager::ResourcePolicy$/,
  /^AWS::ECR::Repository$/,
];
const SECURITY_PROPERTIES = /(Policy|Policies|PolicyDocument|SecurityGroupIngress|SecurityGroupEgress|SecurityGroupIds|SecurityGroups|AccessPolicies|RepositoryPolicyText|ManagedPolicyArns)\b/;

/**
 * Properties the CloudFormation resource reference marks "Update requires:
 * Replacement", for the resource types Slipway synthesizes. Not exhaustive:
 * `cdk diff` against the account remains the authority.
 */
export const REPLACEMENT_PROPERTIES: Readonly<Record<string, readonly string[]>> = {
  'AWS::EC2::VPC': ['CidrBlock', 'InstanceTenancy'],
  'AWS::EC2::Subnet': ['CidrBlock', 'AvailabilityZone', 'AvailabilityZoneId', 'VpcId'],
  'AWS::EC2::SecurityGroup': ['GroupDescription', 'GroupName', 'VpcId'],
  'AWS::EC2::NetworkAcl': ['VpcId'],
  'AWS::EC2::Instance': ['AvailabilityZone', 'ImageId', 'SubnetId', 'KeyName', 'PrivateIpAddress'],
  'AWS::EC2::NatGateway': ['SubnetId', 'AllocationId', 'ConnectivityType'],
  'AWS::IAM::Role': ['RoleName', 'Path'],
  'AWS::IAM::ManagedPolicy': ['ManagedPolicyName', 'Path'],
  'AWS::S3::Bucket': ['BucketName'],
  'AWS::DynamoDB::Table': ['TableName', 'KeySchema'],
  'AWS::ECR::Repository': ['RepositoryName', 'EncryptionConfiguration'],
  'AWS::ECS::Cluster': ['ClusterName'],
  'AWS::ECS::Service': ['ServiceName', 'Cluster', 'LaunchType', 'Role'],
  'AWS::ElasticLoadBalancingV2::LoadBalancer': ['Name', 'Scheme', 'Type'],
  'AWS::ElasticLoadBalancingV2::TargetGroup': ['Name', 'Port', 'Protocol', 'VpcId', 'TargetType'],
  'AWS::Logs::LogGroup': ['LogGroupName'],
  'AWS::Lambda::Function': ['FunctionName'],
  'AWS::OpenSearchService::Domain': ['DomainName'],
  'AWS::RDS::DBCluster': ['DBClusterIdentifier', 'StorageEncrypted', 'KmsKeyId', 'DBSubnetGroupName'],
  'AWS::CodePipeline::Pipeline': ['Name'],
  'AWS::SNS::Topic': ['TopicName'],
};

export function diffAssemblies(base: ReadonlyMap<string, Template>, head: ReadonlyMap<string, Template>): AssemblyDiff {
  const names = [...new Set([...base.keys(), ...head.keys()])].sort();
  return { stacks: names.map((stack) => diffStack(stack, base.get(stack), head.get(stack))) };
}

export function diffStack(stack: string, before: Template | undefined, after: Template | undefined): StackDiff {
  const resources = diffResources(before?.Resources ?? {}, after?.Resources ?? {});
  const outputs = diffNamed(before?.Outputs ?? {}, after?.Outputs ?? {});
  const parameters = diffNamed(before?.Parameters ?? {}, after?.Parameters ?? {});
  const kind: StackDiff['kind'] = !before ? 'added' : !after ? 'removed' : resources.length + outputs.length + parameters.length > 0 ? 'modified' : 'unchanged';
  return { stack, kind, resources, outputs, parameters };
}

function diffResources(before: Readonly<Record<string, Resource>>, after: Readonly<Record<string, Resource>>): ResourceChange[] {
  const ids = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  const changes: ResourceChange[] = [];
  for (const logicalId of ids) {
    const old = before[logicalId];
    const now = after[logicalId];
    const type = (now ?? old).Type;
    if (IGNORED_RESOURCE_TYPES.has(type)) continue;
    if (!old || !now) {
      const kind: ChangeKind = old ? 'removed' : 'added';
      changes.push({ logicalId, kind, type, changes: [], securityRelevant: isSecurityType(type), replacedBy: [] });
      continue;
    }
    if (old.Type !== now.Type) {
      // A new type under the same logical id is a new resource: CloudFormation replaces it.
      const typeChange = { path: 'Type', before: old.Type, after: now.Type };
      changes.push({ logicalId, kind: 'modified', type, changes: [typeChange], securityRelevant: isSecurityType(old.Type) || isSecurityType(now.Type), replacedBy: ['Type'] });
      continue;
    }
    if (deepEqual(old, now)) continue;
    const valueChanges = diffValues('', old, now).filter((c) => !IGNORED_PATHS.some((p) => p.test(c.path)));
    if (valueChanges.length === 0) continue;
    const replacing = REPLACEMENT_PROPERTIES[type] ?? [];
    const replacedBy = replacing.filter((prop) => valueChanges.some((c) => c.path === `Properties.${prop}` || c.path.startsWith(`Properties.${prop}.`) || c.path.startsWith(`Properties.${prop}[`)));
    const securityRelevant = isSecurityType(type) || valueChanges.some((c) => SECURITY_PROPERTIES.test(c.path));
    changes.push({ logicalId, kind: 'modified', type, changes: valueChanges, securityRelevant, replacedBy });
  }
  return changes;
}

function diffNamed(before: Readonly<Record<string, unknown>>, after: Readonly<Record<string, unknown>>): NamedChange[] {
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  const out: NamedChange[] = [];
  for (const name of names) {
    const inBefore = name in before;
    const inAfter = name in after;
    if (inBefore && inAfter && deepEqual(before[name], after[name])) continue;
    const kind: ChangeKind = !inBefore ? 'added' : !inAfter ? 'removed' : 'modified';
    out.push({ name, kind, ...(inBefore ? { before: before[name] } : {}), ...(inAfter ? { after: after[name] } : {}) });
  }
  return out;
}

/**
 * Every leaf that differs. Arrays are compared as multisets, so inserting a
 * policy statement shows one `[+]` rather than every later index shifting.
 * One walk: objects recurse key by key, and array items are matched by a
 * canonical key, so the cost stays linear in the size of the values.
 */
export function diffValues(path: string, before: unknown, after: unknown): ValueChange[] {
  if (before === after) return [];
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => {
      const child = path ? `${path}.${key}` : key;
      if (!(key in before)) return [{ path: child, after: after[key] }];
      if (!(key in after)) return [{ path: child, before: before[key] }];
      return diffValues(child, before[key], after[key]);
    });
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    if (before.length === after.length && before.every((b, i) => isScalar(b) && isScalar(after[i]))) {
      // Same-length lists of scalars changed in place: report by index.
      return before.flatMap((b, i) => (b === after[i] ? [] : [{ path: `${path}[${i}]`, before: b, after: after[i] }]));
    }
    const unmatched = new Map<string, number>();
    for (const item of after) unmatched.set(canonical(item), (unmatched.get(canonical(item)) ?? 0) + 1);
    const removed: ValueChange[] = [];
    for (const item of before) {
      const key = canonical(item);
      const left = unmatched.get(key) ?? 0;
      if (left > 0) unmatched.set(key, left - 1);
      else removed.push({ path: `${path}[-]`, before: item });
    }
    const added = after.filter((item) => {
      const key = canonical(item);
      const left = unmatched.get(key) ?? 0;
      if (left === 0) return false;
      unmatched.set(key, left - 1);
      return true;
    });
    return [...removed, ...added.map((item) => ({ path: `${path}[+]`, after: item }))];
  }
  return deepEqual(before, after) ? [] : [{ path, before, after }];
}

/** A JSON text with object keys sorted: equal values, equal keys. Cached per object (templates are not mutated). */
const canonicalCache = new WeakMap<object, string>();
export function canonical(value: unknown): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value) ?? 'undefined';
  const cached = canonicalCache.get(value);
  if (cached !== undefined) return cached;
  const text = Array.isArray(value)
    ? `[${value.map(canonical).join(',')}]`
    : `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  canonicalCache.set(value, text);
  return text;
}

function isScalar(v: unknown): boolean {
  return typeof v !== 'object' || v === null;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isSecurityType(type: string): boolean {
  return SECURITY_TYPES.some((p) => p.test(type));
}

export interface DiffTotals {
  readonly stacksChanged: number;
  readonly added: number;
  readonly removed: number;
  readonly modified: number;
  readonly securityRelevant: number;
  readonly mayReplace: number;
}

export function totals(diff: AssemblyDiff): DiffTotals {
  const resources = diff.stacks.flatMap((s) => s.resources);
  return {
    stacksChanged: diff.stacks.filter((s) => s.kind !== 'unchanged').length,
    added: resources.filter((r) => r.kind === 'added').length,
    removed: resources.filter((r) => r.kind === 'removed').length,
    modified: resources.filter((r) => r.kind === 'modified').length,
    securityRelevant: resources.filter((r) => r.securityRelevant).length,
    mayReplace: resources.filter((r) => r.replacedBy.length > 0).length,
  };
}

/** The stacks of one stage; `stage` absent for the stacks no stage tags. */
export interface StageDiff {
  readonly stage?: string;
  readonly stacks: readonly StackDiff[];
}

/**
 * Groups a diff's stacks by stage: the stages in the order `stageOf` first names them (the head assembly's
 * promotion order, then stages only the base has), the stacks of no stage last. Pure.
 */
export function groupByStage(diff: AssemblyDiff, stageOf: ReadonlyMap<string, string>): StageDiff[] {
  const order = [...new Set(stageOf.values())];
  const groups: StageDiff[] = order.map((stage) => ({ stage, stacks: diff.stacks.filter((s) => stageOf.get(s.stack) === stage) }));
  const unstaged = diff.stacks.filter((s) => !stageOf.has(s.stack));
  return [...groups.filter((g) => g.stacks.length > 0), ...(unstaged.length > 0 ? [{ stacks: unstaged }] : [])];
}
