import { normaliseEstate, normaliseServiceOptions } from '../../src/spec';
import { stacksFromManifest } from '../../src/summary/assembly';
import { accountPrerequisites, availabilityZones, hostImage } from '../../src/summary/prerequisites';
import { renderNetworkPlan, renderStacks, renderSummary, table } from '../../src/summary/render';
import { seedOptions, withNetwork } from '../spec/fixtures';

describe('the network plan table', () => {
  test('lists each subnet with tier, AZ, CIDR, total and usable (total − 5) addresses', () => {
    const plan = renderNetworkPlan(normaliseServiceOptions(seedOptions()));
    expect(plan.split('\n')).toEqual([
      'Network plan for vpc-flask-app-production (192.168.0.0/16, 65,536 addresses, 1,024 allocated to subnets; AWS reserves 5 per subnet)',
      'subnet            tier     availability zone  cidr            total  usable',
      '----------------  -------  -----------------  --------------  -----  ------',
      'public-subnet-a   public   eu-west-1 AZ #1    192.168.0.0/24    256     251',
      'public-subnet-b   public   eu-west-1 AZ #2    192.168.1.0/24    256     251',
      'private-subnet-a  private  eu-west-1 AZ #1    192.168.2.0/24    256     251',
      'private-subnet-b  private  eu-west-1 AZ #2    192.168.3.0/24    256     251',
    ]);
  });

  test('pinned AZ names are shown as pinned', () => {
    const spec = normaliseServiceOptions(withNetwork({ availabilityZones: ['eu-west-1b', 'eu-west-1c'] }));
    expect(renderNetworkPlan(spec)).toContain('public-subnet-a   public   eu-west-1b');
  });
});

describe('stacks from the cloud assembly', () => {
  const manifest = {
    artifacts: {
      'flask-app-network': { type: 'aws:cloudformation:stack', properties: { templateFile: 'flask-app-network.template.json' } },
      'flask-app-access': { type: 'aws:cloudformation:stack', properties: { templateFile: 'flask-app-access.template.json' } },
      'Tree': { type: 'cdk:tree' },
    },
  };
  const templates: Record<string, object> = {
    'flask-app-network.template.json': { Resources: { A: {}, B: {}, C: {} }, Outputs: { VpcId: {} } },
    'flask-app-access.template.json': { Resources: { R: {} } },
  };
  const stacks = stacksFromManifest(manifest, (file) => templates[file]);

  test('only CloudFormation stacks, sorted, with resource and output counts', () => {
    expect(stacks).toEqual([
      { name: 'flask-app-access', resourceCount: 1, outputs: [], templateFile: 'flask-app-access.template.json' },
      { name: 'flask-app-network', resourceCount: 3, outputs: ['VpcId'], templateFile: 'flask-app-network.template.json' },
    ]);
  });

  test('render as a table, and say so when there are none', () => {
    expect(renderStacks(stacks)).toContain('flask-app-network          3        1  cdk.out/flask-app-network.template.json');
    expect(renderStacks([])).toBe('Stacks: none synthesized yet.');
  });

  test('the whole summary ends with what to do next', () => {
    const text = renderSummary(normaliseEstate(seedOptions()), stacks);
    expect(text).toMatch(/^Slipway: flask-app \(one stage: production; ecs-fargate, database dynamodb\)/);
    expect(text).toContain('npx cdk deploy flask-app-production-access flask-app-production-delivery');
    expect(text).toContain('AWS_DEPLOY_ROLE_ARN');
    expect(text.split('\n').at(-1)).toMatch(/^  5\. Push to main/);
  });
});

describe('the account prerequisites and the host AMI', () => {
  test('say what this spec assumes: bootstrap, the OpenSearch service-linked role, and who provides the OIDC provider', () => {
    const text = renderSummary(normaliseEstate(seedOptions()), []);
    expect(text).toContain("CDK bootstrap in <account-id>/eu-west-1 (assumed): 'npx cdk bootstrap aws://<account-id>/eu-west-1'");
    expect(text).toContain('AWSServiceRoleForAmazonOpenSearchService (assumed to exist)');
    expect(text).toContain('GitHub OIDC provider (assumed to exist): arn:aws:iam::<account-id>:oidc-provider/token.actions.githubusercontent.com');
    const creating = normaliseServiceOptions({
      ...seedOptions(), github: { ...seedOptions().github, createOidcProvider: true }, logs: { createServiceLinkedRole: true },
    });
    expect(accountPrerequisites(creating).join('\n')).toMatch(/OpenSearch service-linked role .*\(created by the logs stack[\s\S]*GitHub OIDC provider \(created by the access stack/);
    const arn = 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com';
    const reused = normaliseServiceOptions({ ...seedOptions(), account: '123456789012', github: { ...seedOptions().github, oidcProviderArn: arn } });
    expect(accountPrerequisites(reused)).toEqual([
      expect.stringContaining('CDK bootstrap in 123456789012/eu-west-1'),
      expect.stringContaining('OpenSearch'),
      `- GitHub OIDC provider (assumed to exist): ${arn} (github.oidcProviderArn); the access stack only references it.`,
    ]);
  });

  test('report whether the AMI is pinned, and how to pin it when it is not', () => {
    expect(hostImage(normaliseServiceOptions(seedOptions()))).toMatch(/^Host AMI: the latest Amazon Linux 2023, .*not pinned.*Pin it with hosts\.imageId \(aws ssm get-parameter --name \/aws\/service\/ami-amazon-linux-latest\/al2023-ami-kernel-default-x86_64 --region eu-west-1/);
    const pinned = normaliseServiceOptions({ ...seedOptions(), hosts: { imageId: 'ami-0abcdef1234567890' } });
    expect(hostImage(pinned)).toBe('Host AMI: ami-0abcdef1234567890, pinned in hosts.imageId; change it on purpose (it replaces the 2 host(s)).');
  });
});

test('the summary says whether the AZs are pinned, and how to pin them', () => {
  expect(availabilityZones(normaliseServiceOptions(seedOptions()))).toMatch(
    /^Availability zones: picked at each deploy by position .*not pinned.*aws ec2 describe-availability-zones --region eu-west-1.*\['eu-west-1a', 'eu-west-1b'\]\.$/,
  );
  const pinned = normaliseServiceOptions(withNetwork({ availabilityZones: ['eu-west-1b', 'eu-west-1c'] }));
  expect(availabilityZones(pinned)).toBe('Availability zones: eu-west-1b, eu-west-1c, pinned in network.availabilityZones.');
});

test('table right-aligns numeric columns', () => {
  expect(table(['n', 'x'], [[5, 'a'], [100, 'b']])).toBe('  n  x\n---  -\n  5  a\n100  b');
});

describe('the summary of several stages', () => {
  const estate = normaliseEstate({
    ...seedOptions(),
    stages: [
      { name: 'staging', network: { cidr: '172.20.0.0/16', publicSubnets: ['172.20.0.0/24', '172.20.1.0/24'], privateSubnets: ['172.20.2.0/24', '172.20.3.0/24'] } },
      { name: 'production' },
    ],
  });
  const stack = (name: string) => ({ name, resourceCount: 1, outputs: [], templateFile: `${name}.template.json` });
  const stacks = [stack('flask-app-production-network'), stack('flask-app-staging-network'), stack('flask-app-images')];
  const text = renderSummary(estate, stacks);
  const sections = text.split(/^== /m);

  test('one header and one network plan per stage, in promotion order', () => {
    expect(text).toMatch(/^Slipway: flask-app \(2 stages: staging → production; ecs-fargate, database dynamodb\)\nImage repository: ECR flask-app in <account-id>\/eu-west-1 \(stage staging\), one image for every stage\./);
    expect(text.match(/^== Stage \d of 2: .*==$/gm)).toEqual([
      '== Stage 1 of 2: staging (<account-id>/eu-west-1, unprotected) ==',
      '== Stage 2 of 2: production (<account-id>/eu-west-1, unprotected, promoted from staging) ==',
    ]);
    expect(text.match(/^Network plan for .*$/gm)?.map((l) => l.split(' (')[0])).toEqual(['Network plan for vpc-flask-app-staging', 'Network plan for vpc-flask-app-production']);
  });

  test('each stage lists only its own stacks; a stack of no stage is listed once, apart', () => {
    expect(sections[1]).toContain('flask-app-staging-network');
    expect(sections[1]).not.toContain('flask-app-production-network');
    expect(sections[2]).toContain('flask-app-production-network');
    expect(sections[2]).not.toContain('flask-app-staging-network');
    expect(text.match(/^flask-app-images /gm)).toHaveLength(1);
    expect(text).toContain('Stacks shared by the stages');
  });

  test("the account's prerequisites are said once for stages sharing an account and region; the hosts' AMI per stage", () => {
    expect(text.match(/CDK bootstrap in/g)).toHaveLength(1);
    expect(sections[2]).toContain("the account and region are stage staging's, so its prerequisites above hold here too");
    expect(text.match(/^Host AMI:/gm)).toHaveLength(2);
    expect(text.match(/^Next:$/gm)).toHaveLength(1);
  });
});
