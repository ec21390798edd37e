/**
 * Two stages of one service (the default staging and production), a second
 * service, all in one account and region, and the same service in a second
 * region of that account, must not ask AWS for the same physical name twice:
 * CloudFormation would fail the second create with "already exists". Each
 * covered type lists the property that names it and how far the name must be
 * unique (AWS's scope for that resource). The two stages are one assembly, as
 * `cdk synth` builds them, so a name two stages share counts as a collision.
 */
import { estateWith, specWith } from './fixtures';
import { CfnTemplate, synthEstate } from './synthesized';

jest.setTimeout(240_000);

type Scope = 'global' | 'account' | 'region';

/**
 * Type → the naming property and the scope its uniqueness is checked in ('global': S3, all accounts).
 * Inline IAM policies (AWS::IAM::Policy) are named per role, not per account, so they cannot collide here.
 */
const NAMED_TYPES: Readonly<Record<string, { readonly property: string; readonly scope: Scope }>> = {
  'AWS::EC2::LaunchTemplate': { property: 'LaunchTemplateName', scope: 'region' },
  'AWS::EC2::SecurityGroup': { property: 'GroupName', scope: 'region' }, // unique per VPC; each service has its own VPC, checked per region to be safe
  'AWS::IAM::Role': { property: 'RoleName', scope: 'account' },
  'AWS::IAM::ManagedPolicy': { property: 'ManagedPolicyName', scope: 'account' },
  'AWS::IAM::InstanceProfile': { property: 'InstanceProfileName', scope: 'account' },
  'AWS::IAM::OIDCProvider': { property: 'Url', scope: 'account' },
  // One role per AWS service per account ("has been taken in this account").
  'AWS::IAM::ServiceLinkedRole': { property: 'AWSServiceName', scope: 'account' },
  'AWS::Logs::LogGroup': { property: 'LogGroupName', scope: 'region' },
  'AWS::Logs::ResourcePolicy': { property: 'PolicyName', scope: 'region' },
  'AWS::S3::Bucket': { property: 'BucketName', scope: 'global' },
  'AWS::DynamoDB::Table': { property: 'TableName', scope: 'region' },
  'AWS::ECR::Repository': { property: 'RepositoryName', scope: 'region' },
  'AWS::OpenSearchService::Domain': { property: 'DomainName', scope: 'region' },
  'AWS::ECS::Cluster': { property: 'ClusterName', scope: 'region' },
  'AWS::EKS::Cluster': { property: 'Name', scope: 'region' },
  'AWS::RDS::DBCluster': { property: 'DBClusterIdentifier', scope: 'region' },
  'AWS::SNS::Topic': { property: 'TopicName', scope: 'region' },
  'AWS::CloudWatch::Alarm': { property: 'AlarmName', scope: 'region' },
  // "All dashboards in your account are global, not region-specific" (AWS::CloudWatch::Dashboard).
  'AWS::CloudWatch::Dashboard': { property: 'DashboardName', scope: 'account' },
  'AWS::CodePipeline::Pipeline': { property: 'Name', scope: 'region' },
  'AWS::CodeBuild::Project': { property: 'Name', scope: 'region' },
  'AWS::Lambda::Function': { property: 'FunctionName', scope: 'region' },
  'AWS::SecretsManager::Secret': { property: 'Name', scope: 'region' },
  'AWS::SSM::Parameter': { property: 'Name', scope: 'region' },
  'AWS::ElasticLoadBalancingV2::LoadBalancer': { property: 'Name', scope: 'region' },
  'AWS::ElasticLoadBalancingV2::TargetGroup': { property: 'Name', scope: 'region' },
  'AWS::SQS::Queue': { property: 'QueueName', scope: 'region' },
};

/** CloudWatch Logs allows 10 account-level resource policies per region; a stage may use at most one. */
const LOGS_RESOURCE_POLICIES_PER_STAGE = 1;

interface Named {
  readonly key: string;
  readonly owner: string;
}

/**
 * A fixed name with the deploy-time pseudo parameters written as placeholders, so two synths compare as
 * deployed; undefined when CloudFormation generates it or it derives from a generated one.
 */
function rendered(value: unknown, region: string): string | undefined {
  if (value === undefined) return undefined;
  const text = JSON.stringify(value)
    .replace(/\{"Ref":"AWS::AccountId"\}/g, '"<account>"')
    .replace(/\{"Ref":"AWS::Region"\}/g, `"${region}"`)
    .replace(/\{"Ref":"AWS::Partition"\}/g, '"aws"');
  const parsed = JSON.parse(text) as unknown;
  if (typeof parsed === 'string') return parsed;
  const join = (parsed as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (join && join[1].every((p) => typeof p === 'string')) return join[1].join(join[0]);
  return undefined; // still built from another resource's generated name or id: unique to its stack, like a generated name
}

function physicalNames(templates: Record<string, CfnTemplate>, owner: string, region: string): Named[] {
  return Object.values(templates).flatMap((template) =>
    Object.values(template.Resources ?? {}).flatMap((resource) => {
      const naming = NAMED_TYPES[resource.Type];
      const name = naming && rendered(resource.Properties?.[naming.property], region);
      if (!naming || name === undefined) return [];
      const where = naming.scope === 'region' ? `region ${region}` : naming.scope;
      return [{ key: `${where} ${resource.Type} ${naming.property} ${name}`, owner }];
    }),
  );
}

function collisions(estates: Record<string, { templates: Record<string, CfnTemplate>; region: string }>): string[] {
  const byKey = new Map<string, string[]>();
  for (const [owner, { templates, region }] of Object.entries(estates)) {
    for (const { key } of physicalNames(templates, owner, region)) byKey.set(key, [...(byKey.get(key) ?? []), owner]);
  }
  return [...byKey.entries()]
    .filter(([, owners]) => owners.length > 1)
    .map(([key, owners]) => `${key}: ${owners.join(', ')}`)
    .sort();
}

describe('physical names of two stages and two services in one account, and of one service in two regions', () => {
  const estates = {
    // The account-wide resources the estate may create (the GitHub provider, the OpenSearch service-linked role): once per account.
    'flask-app staging+production@eu-west-1': {
      templates: synthEstate(estateWith({ github: { owner: 'slipway-dev', repo: 'flask-app', createOidcProvider: true }, logs: { createServiceLinkedRole: true } })),
      region: 'eu-west-1',
    },
    'orders-api@eu-west-1': { templates: synthEstate(specWith({ serviceName: 'orders-api', github: { owner: 'slipway-dev', repo: 'orders-api' } })), region: 'eu-west-1' },
    'flask-app@us-east-1': { templates: synthEstate(specWith({ region: 'us-east-1' })), region: 'us-east-1' },
  };

  it('never collide', () => {
    expect(collisions(estates)).toEqual([]);
  });

  it('cover the types the first deploy names, and the estate really names some of each kind', () => {
    const names = Object.entries(estates).flatMap(([owner, e]) => physicalNames(e.templates, owner, e.region));
    const types = new Set(names.map((n) => n.key.split(' ').find((part) => part.startsWith('AWS::'))));
    // A renamed service gets other names for everything it names (not the same ones), so the check has material.
    for (const type of ['AWS::EC2::LaunchTemplate', 'AWS::S3::Bucket', 'AWS::DynamoDB::Table', 'AWS::ECR::Repository', 'AWS::SNS::Topic', 'AWS::CloudWatch::Alarm', 'AWS::CloudWatch::Dashboard', 'AWS::CodePipeline::Pipeline', 'AWS::Lambda::Function']) {
      expect(types).toContain(type);
    }
  });

  it('use at most one CloudWatch Logs resource policy per stage (10 per account and region)', () => {
    for (const { templates } of Object.values(estates)) {
      const logsStacks = Object.keys(templates).filter((stack) => stack.endsWith('-logs')).length;
      const policies = Object.values(templates).flatMap((t) => Object.values(t.Resources ?? {}).filter((r) => r.Type === 'AWS::Logs::ResourcePolicy'));
      expect(policies.length).toBeLessThanOrEqual(logsStacks * LOGS_RESOURCE_POLICIES_PER_STAGE);
    }
  });

  it('the renaming check itself sees a collision when two services share a name', () => {
    const twin = { templates: estates['flask-app@us-east-1'].templates, region: 'eu-west-1' };
    expect(collisions({ a: twin, b: twin })).toContain('region eu-west-1 AWS::SNS::Topic TopicName flask-app-production-alarms: a, b');
  });

  it('the two stages share one image repository, one image-push role and one GitHub provider, and name the rest apart', () => {
    const templates = estates['flask-app staging+production@eu-west-1'].templates;
    const ofType = (type: string) => Object.entries(templates).flatMap(([stack, t]) =>
      Object.entries(t.Resources ?? {}).filter(([, r]) => r.Type === type).map(([id]) => `${stack}/${id}`));
    expect(ofType('AWS::ECR::Repository')).toEqual([expect.stringMatching(/^flask-app-staging-platform\/Repository/)]);
    expect(ofType('AWS::IAM::OIDCProvider')).toEqual([expect.stringMatching(/^flask-app-staging-access\//)]);
    expect(ofType('AWS::IAM::ServiceLinkedRole')).toEqual([expect.stringMatching(/^flask-app-staging-logs\//)]);
    expect(ofType('AWS::IAM::Role').filter((r) => r.includes('/ImagePushRole'))).toEqual([expect.stringMatching(/^flask-app-staging-access\//)]);
    // Every stack of each stage carries the stage's name.
    expect(Object.keys(templates).filter((stack) => !/^flask-app-(staging|production)-/.test(stack))).toEqual([]);
    expect(Object.keys(templates)).toHaveLength(16);
  });
});

