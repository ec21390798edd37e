import { readFileSync } from 'fs';
import { App, cx_api } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { foundationApp, specWith } from './fixtures';
import { cdkValidationFindings, nagAcknowledgements } from './nag';
import { buildApp, recommendedFeatureFlags, stackEnvironment } from '../../src/infra';
import { TAG_ENVIRONMENT, TAG_SERVICE } from '../../src/spec';

describe('foundation stacks', () => {
  it('are the network, hosts and access stacks, named from spec.names.stacks, in the spec region', () => {
    const { stacks } = foundationApp(specWith());
    expect(Object.values(stacks).map((s) => [s.stackName, s.region])).toEqual([
      ['flask-app-production-network', 'eu-west-1'],
      ['flask-app-production-hosts', 'eu-west-1'],
      ['flask-app-production-access', 'eu-west-1'],
    ]);
    // the hosts use the network's subnets and security group, so CloudFormation deploys the network first
    expect(stacks.hosts.dependencies).toContain(stacks.network);
  });

  it('stay account-agnostic unless the spec pins an account', () => {
    expect(stackEnvironment(specWith())).toEqual({ region: 'eu-west-1' });
    expect(stackEnvironment(specWith({ account: '123456789012' }))).toEqual({ region: 'eu-west-1', account: '123456789012' });
    expect(foundationApp(specWith({ account: '123456789012' })).stacks.network.account).toBe('123456789012');
  });

  it.each([
    ['account-agnostic', specWith()],
    [
      'pinned account, pinned AZs, NAT egress',
      specWith({ account: '123456789012', region: 'us-east-1' }, { availabilityZones: ['us-east-1a', 'us-east-1b'], egress: 'nat-gateway' }),
    ],
  ])('%s: synthesize with no context lookup and no unacknowledged CDK validation finding', (_, spec) => {
    const { app } = foundationApp(spec);
    expect(app.synth().manifest.missing ?? []).toEqual([]);
    expect(cdkValidationFindings(app)).toEqual([]);
  });

  it('tag every resource that takes tags with the spec tags', () => {
    const { stacks } = foundationApp(specWith());
    for (const stack of Object.values(stacks)) {
      type Tagged = { Type: string; Properties?: { Tags?: { Key: string; Value: string }[] } };
      const template = Template.fromStack(stack).toJSON() as { Resources: Record<string, Tagged> };
      for (const [id, resource] of Object.entries(template.Resources)) {
        const tags = resource.Properties?.Tags;
        if (!Array.isArray(tags)) continue;
        expect({ id, tags: tags.filter((t) => t.Key === TAG_SERVICE || t.Key === TAG_ENVIRONMENT) }).toEqual({
          id,
          tags: [
            { Key: TAG_ENVIRONMENT, Value: 'production' },
            { Key: TAG_SERVICE, Value: 'flask-app' },
          ],
        });
      }
    }
  });

  it('acknowledge only the cdk-nag rules reviewed here, each with a reviewable reason', () => {
    const { app } = foundationApp(specWith({ hosts: { dataVolumeGiB: 10 } }, { egress: 'nat-gateway' }));
    const ours = nagAcknowledgements(app).filter((a) => a.rule.startsWith('AwsSolutions-'));
    expect(new Set(ours.map((a) => a.rule.replace(/\[.*$/, '')))).toEqual(
      new Set(['AwsSolutions-VPC3', 'AwsSolutions-IAM4', 'AwsSolutions-IAM5', 'AwsSolutions-EC29', 'AwsSolutions-S1']),
    );
    // access logs are waived only on the log bucket itself, never on the transfer bucket it logs
    expect(ours.filter((a) => a.rule === 'AwsSolutions-S1').map((a) => a.path)).toEqual(['flask-app-production-hosts/TransferBucketAccessLogs']);
    for (const a of ours) expect(a.reason.length).toBeGreaterThanOrEqual(40);
  });
});

describe('buildApp (the whole estate, as `cdk synth` runs it)', () => {
  it('contains the foundation stacks and synthesizes offline with no context lookup', () => {
    const app = new App();
    const stacks = buildApp(app, specWith());
    expect([stacks.network.stackName, stacks.hosts.stackName, stacks.access.stackName]).toEqual(['flask-app-production-network', 'flask-app-production-hosts', 'flask-app-production-access']);
    expect(app.synth().manifest.missing ?? []).toEqual([]);
  });
});

describe('EKS subnet tags', () => {
  it('the network stack tags the subnets, so the estate carries no "Could not auto-tag" warning', () => {
    const app = new App();
    buildApp(app, specWith({ platform: 'eks' }, { egress: 'nat-gateway' }));
    expect(cdkValidationFindings(app).filter((f) => /auto-tag|clusterMustManuallyTagSubnet/.test(f))).toEqual([]);
  });
});

describe('feature flags: what `cdk init` writes for the installed aws-cdk-lib', () => {
  it('cdk.json carries exactly aws-cdk-lib\'s recommended flags, unique launch template names and weak references among them', () => {
    const cdkJson = JSON.parse(readFileSync('cdk.json', 'utf8')) as { context?: Record<string, unknown> };
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const recommended = require('aws-cdk-lib/recommended-feature-flags.json') as Record<string, unknown>;
    expect(cdkJson.context).toEqual(recommended);
    expect(recommendedFeatureFlags()).toEqual(recommended);
    expect(cdkJson.context?.[cx_api.EC2_UNIQUE_IMDSV2_LAUNCH_TEMPLATE_NAME]).toBe(true);
    expect(cdkJson.context?.[cx_api.DEFAULT_CROSS_STACK_REFERENCES]).toBe('weak');
  });

  it('leaves no flag at a value other than the recommended one (the CLI\'s "N feature flags are not configured")', () => {
    const app = new App();
    buildApp(app, specWith());
    const report = Object.values(app.synth().manifest.artifacts ?? {}).find((a) => a.type === 'cdk:feature-flag-report');
    type Flag = { userValue?: unknown; recommendedValue?: unknown; unconfiguredBehavesLike?: { v2?: unknown } };
    const flags = (report?.properties as unknown as { flags: Record<string, Flag> }).flags;
    expect(Object.keys(flags).length).toBeGreaterThan(50);
    // As the CLI reads them: a flag's effective value is the one set, or what leaving it unset behaves like.
    const effective = (f: Flag | undefined) => (f?.userValue !== undefined ? f.userValue : f?.unconfiguredBehavesLike?.v2);
    const off = Object.entries(recommendedFeatureFlags()).filter(([name, value]) => JSON.stringify(effective(flags[name])) !== JSON.stringify(value));
    expect(off.map(([name]) => name)).toEqual([]);
  });

  it('a value the app\'s context already sets (cdk.json, --context) is kept', () => {
    const app = new App({ context: { [cx_api.DEFAULT_CROSS_STACK_REFERENCES]: 'both' } });
    buildApp(app, specWith());
    expect(app.node.tryGetContext(cx_api.DEFAULT_CROSS_STACK_REFERENCES)).toBe('both');
  });
});
