import { readFileSync } from 'fs';
import { join } from 'path';
import { EKS_NETWORK, all, estate, only, statementsOf } from './fixtures';
import { ALB_CONTROLLER_VERSION, CONTAINER_NAME, CONTAINER_SCRATCH_PATH, CONTAINER_USER, IMAGE_URI_PARAMETER, KUBECTL_VERSION, KUBERNETES_VERSION, METRICS_SERVER_ADDON, NO_IMAGE_TAG } from '../../../src/infra';

/** JSON that CloudFormation assembles with Fn::Join, parsed with each deploy-time reference as '{{<reference JSON>}}'. */
function renderedJson(value: unknown): unknown {
  if (typeof value === 'string') return JSON.parse(value);
  const parts = (value as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
  return JSON.parse(parts.map((p) => (typeof p === 'string' ? p : `{{${JSON.stringify(p).replace(/["\\]/g, (c) => `\\${c}`)}}}`)).join(''));
}

const EKS_ADDON_TYPES = ['Custom::AWSCDK-EKS-HelmChart', 'Custom::AWSCDK-EKS-KubernetesResource', 'Custom::AWSCDK-EKS-KubernetesPatch', 'AWS::Lambda::LayerVersion'];

// Synthesizing the whole estate (and running cdk-nag over it) takes seconds on a busy CI machine.
jest.setTimeout(120_000);

describe('platform stack on ECS Fargate (the seed)', () => {
  const e = estate({ container: { port: 8000, desiredCount: 2, maxCount: 6, cpuTargetPercent: 55, keepImages: 15 } });

  test('ECR: named from the spec, scan on push, immutable tags, encrypted, lifecycle keeps the last N, retained', () => {
    const repo = only(e.platform, 'AWS::ECR::Repository');
    expect(repo.Properties).toMatchObject({
      RepositoryName: 'flask-app',
      ImageScanningConfiguration: { ScanOnPush: true },
      ImageTagMutability: 'IMMUTABLE',
      EncryptionConfiguration: { EncryptionType: 'AES256' },
    });
    const rules = JSON.parse(repo.Properties.LifecyclePolicy.LifecyclePolicyText).rules;
    expect(rules).toEqual([expect.objectContaining({ selection: expect.objectContaining({ countType: 'imageCountMoreThan', countNumber: 15, tagStatus: 'any' }) })]);
    expect(repo.DeletionPolicy).toBe('Retain');
  });

  test('cluster has Container Insights', () => {
    expect(only(e.platform, 'AWS::ECS::Cluster').Properties).toMatchObject({
      ClusterName: 'flask-app-production',
      ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }],
    });
  });

  test('task definition sized from the spec; image from the ImageUri parameter; logs to the app log group', () => {
    const task = only(e.platform, 'AWS::ECS::TaskDefinition');
    expect(task.Properties).toMatchObject({ Cpu: '256', Memory: '512', NetworkMode: 'awsvpc', RequiresCompatibilities: ['FARGATE'] });
    const [container] = task.Properties.ContainerDefinitions;
    expect(container.Name).toBe(CONTAINER_NAME);
    expect(container.Image).toEqual({ 'Fn::If': ['HasImage', { Ref: IMAGE_URI_PARAMETER }, expect.objectContaining({ 'Fn::Join': expect.anything() })] });
    expect(JSON.stringify(container.Image['Fn::If'][2])).toContain(`:${NO_IMAGE_TAG}`);
    expect(container.PortMappings).toEqual([{ ContainerPort: 8000, Protocol: 'tcp' }]);
    expect(container.LogConfiguration.LogDriver).toBe('awslogs');
    expect(e.platform.toJSON().Parameters[IMAGE_URI_PARAMETER]).toMatchObject({ Type: 'String', Default: '' });
    expect(e.platform.toJSON().Conditions.HasImage).toEqual({ 'Fn::Not': [{ 'Fn::Equals': [{ Ref: IMAGE_URI_PARAMETER }, ''] }] });
    expect(only(e.platform, 'AWS::Logs::LogGroup').Properties).toMatchObject({ LogGroupName: '/slipway/flask-app/production/app', RetentionInDays: 30 });
    expect(only(e.platform, 'AWS::Logs::LogGroup').DeletionPolicy).toBe('RetainExceptOnCreate');
  });

  test('the container: read-only root filesystem with a task-scoped scratch volume, a memory hard limit, the image\'s non-root user', () => {
    const task = only(e.platform, 'AWS::ECS::TaskDefinition');
    const [container] = task.Properties.ContainerDefinitions;
    expect(container).toMatchObject({ ReadonlyRootFilesystem: true, Memory: 512, User: CONTAINER_USER });
    expect(container.MountPoints).toEqual([{ SourceVolume: 'scratch', ContainerPath: CONTAINER_SCRATCH_PATH, ReadOnly: false }]);
    expect(task.Properties.Volumes).toEqual([{ Name: 'scratch' }]);
    // The sample image's Dockerfile declares the same user.
    expect(readFileSync(join(__dirname, '..', '..', '..', 'app', 'Dockerfile'), 'utf8')).toMatch(new RegExp(`^USER ${CONTAINER_USER}$`, 'm'));
  });

  test('service: private subnets, no public IP, circuit breaker with rollback, behind the target group', () => {
    const service = only(e.platform, 'AWS::ECS::Service');
    expect(service.Properties).toMatchObject({
      ServiceName: 'flask-app-production',
      // No tasks until the first image is deployed (the first cdk deploy precedes any image); after that no DesiredCount,
      // so a deploy keeps what autoscaling chose (the scalable target's minimum brings it into range).
      DesiredCount: { 'Fn::If': ['HasImage', { Ref: 'AWS::NoValue' }, 0] },
      LaunchType: 'FARGATE',
      DeploymentConfiguration: { DeploymentCircuitBreaker: { Enable: true, Rollback: true }, MinimumHealthyPercent: 100, MaximumPercent: 200 },
      NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: 'DISABLED' } },
      LoadBalancers: [expect.objectContaining({ ContainerName: CONTAINER_NAME, ContainerPort: 8000 })],
    });
    const subnets = service.Properties.NetworkConfiguration.AwsvpcConfiguration.Subnets;
    expect(JSON.stringify(subnets)).toMatch(/PrivateSubnetA/);
    expect(JSON.stringify(subnets)).toMatch(/PrivateSubnetB/);
    expect(JSON.stringify(subnets)).not.toMatch(/PublicSubnet/);
  });

  test('CPU target-tracking autoscaling between desiredCount and maxCount', () => {
    expect(only(e.platform, 'AWS::ApplicationAutoScaling::ScalableTarget').Properties).toMatchObject({
      MinCapacity: { 'Fn::If': ['HasImage', 2, 0] },
      MaxCapacity: { 'Fn::If': ['HasImage', 6, 0] },
    });
    expect(only(e.platform, 'AWS::ApplicationAutoScaling::ScalingPolicy').Properties.TargetTrackingScalingPolicyConfiguration).toMatchObject({
      TargetValue: 55,
      PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
    });
  });

  test('ALB: internet-facing in the public subnets, health check path, HTTP only without a certificate, access logs on', () => {
    const alb = only(e.platform, 'AWS::ElasticLoadBalancingV2::LoadBalancer');
    expect(alb.Properties).toMatchObject({ Name: 'flask-app-production-alb', Scheme: 'internet-facing', Type: 'application' });
    expect(JSON.stringify(alb.Properties.Subnets)).toMatch(/PublicSubnetA.*PublicSubnetB/);
    const attrs = Object.fromEntries(alb.Properties.LoadBalancerAttributes.map((a: { Key: string; Value: string }) => [a.Key, a.Value]));
    expect(attrs).toMatchObject({ 'access_logs.s3.enabled': 'true', 'routing.http.drop_invalid_header_fields.enabled': 'true' });
    expect(only(e.platform, 'AWS::ElasticLoadBalancingV2::TargetGroup').Properties).toMatchObject({
      Name: 'flask-app-production-tg',
      Port: 8000,
      TargetType: 'ip',
      HealthCheckPath: '/health',
    });
    const listeners = all(e.platform, 'AWS::ElasticLoadBalancingV2::Listener');
    expect(listeners.map((l) => [l.Properties.Protocol, l.Properties.Port])).toEqual([['HTTP', 80]]);
  });

  test('tasks accept the container port from the load balancer only', () => {
    const ingress = all(e.platform, 'AWS::EC2::SecurityGroupIngress');
    expect(ingress).toHaveLength(1);
    expect(ingress[0].Properties).toMatchObject({ FromPort: 8000, ToPort: 8000, IpProtocol: 'tcp' });
    expect(JSON.stringify(ingress[0].Properties.SourceSecurityGroupId)).toMatch(/LoadBalancerSecurityGroup/);
  });

  test('the task role gets exactly the data bucket and the DynamoDB table', () => {
    const policies = all(e.platform, 'AWS::IAM::Policy').filter((p) => JSON.stringify(p.Properties.Roles).includes('TaskRole'));
    const statements = policies.flatMap(statementsOf);
    expect(statements.find((s) => s.Sid === 'ListDataBucket')?.Action).toBe('s3:ListBucket');
    expect(statements.find((s) => s.Sid === 'ReadWriteDataObjects')?.Action).toEqual(['s3:DeleteObject', 's3:GetObject', 's3:PutObject']);
    const dynamo = statements.find((s) => JSON.stringify(s.Action).includes('dynamodb:'));
    expect(JSON.stringify(dynamo?.Resource)).toMatch(/"Fn::GetStackOutput":\{"StackName":"flask-app-production-data","Region":"eu-west-1","OutputName":"PublishOutputFnGetAttTable/);
    expect(JSON.stringify(statements)).not.toMatch(/"s3:\*"|"dynamodb:\*"/);
  });

  test('the GitHub image-push role may push and pull this repository, log in and read the registry scanning configuration, nothing else', () => {
    const policy = all(e.platform, 'AWS::IAM::Policy').find((p) => JSON.stringify(p.Properties.Roles).includes('ImagePushRole'));
    expect(policy).toBeDefined();
    expect(all(e.platform, 'AWS::IAM::Policy').some((p) => JSON.stringify(p.Properties.Roles).includes('DeployRole'))).toBe(false);
    const [push, login] = statementsOf(policy!);
    // Push, plus the pull a re-run's existing-tag check and buildx's layer checks need; no cache tag in ECR.
    expect([...push.Action].sort()).toEqual([
      'ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:CompleteLayerUpload', 'ecr:DescribeImageScanFindings',
      'ecr:DescribeImages', 'ecr:DescribeRepositories', 'ecr:GetDownloadUrlForLayer', 'ecr:InitiateLayerUpload', 'ecr:PutImage',
      'ecr:UploadLayerPart',
    ]);
    expect(push.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Repository/), 'Arn'] });
    // The registry-level reads the ecr-image action makes: its login, and the scanning configuration its gate reads.
    expect(login).toMatchObject({ Action: ['ecr:GetAuthorizationToken', 'ecr:GetRegistryScanningConfiguration'], Resource: '*' });
  });

  test('no EKS add-ons: no Helm chart, Kubernetes resources or kubectl layer', () => {
    for (const type of EKS_ADDON_TYPES) e.platform.resourceCountIs(type, 0);
    expect(JSON.stringify(e.platform.toJSON())).not.toMatch(/AlbController|aws-load-balancer-controller|KubectlProvider/);
  });

  test('outputs other parts read, with stable export names', () => {
    const outputs = e.platform.toJSON().Outputs;
    for (const id of ['RepositoryUri', 'RepositoryName', 'LoadBalancerDnsName', 'ClusterName', 'ServiceName', 'AppLogGroupName']) {
      expect(outputs[id].Export.Name).toBe(`flask-app-production-platform-${id}`);
    }
  });
});

describe('platform stack with a certificate', () => {
  const arn = 'arn:aws:acm:eu-west-1:123456789012:certificate/0b1c2d3e-aaaa-bbbb-cccc-000000000000';
  const e = estate({ container: { certificateArn: arn } });

  test('protected by default once it has a certificate: the ALB keeps deletion protection on', () => {
    expect(e.spec.protectedEnvironment).toBe(true);
    const alb = only(e.platform, 'AWS::ElasticLoadBalancingV2::LoadBalancer');
    expect(alb.Properties.LoadBalancerAttributes).toEqual(expect.arrayContaining([{ Key: 'deletion_protection.enabled', Value: 'true' }]));
  });

  test('HTTPS on 443 with the certificate and a modern TLS policy; HTTP redirects to HTTPS', () => {
    const listeners = all(e.platform, 'AWS::ElasticLoadBalancingV2::Listener');
    const https = listeners.find((l) => l.Properties.Protocol === 'HTTPS')!;
    expect(https.Properties).toMatchObject({ Port: 443, Certificates: [{ CertificateArn: arn }] });
    expect(https.Properties.SslPolicy).toMatch(/TLS13|TLS-1-2/);
    const http = listeners.find((l) => l.Properties.Protocol === 'HTTP')!;
    expect(http.Properties.DefaultActions).toEqual([
      { Type: 'redirect', RedirectConfig: { Port: '443', Protocol: 'HTTPS', StatusCode: 'HTTP_301' } },
    ]);
  });
});

describe('platform stack with a domain', () => {
  const e = estate({ container: { domain: { name: 'app.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ', hostedZoneName: 'example.com' } } });

  test('ACM issues the certificate by DNS validation in the zone; an alias record points the name at the ALB', () => {
    const certificate = only(e.platform, 'AWS::CertificateManager::Certificate');
    expect(certificate.Properties).toMatchObject({
      DomainName: 'app.example.com',
      ValidationMethod: 'DNS',
      DomainValidationOptions: [{ DomainName: 'app.example.com', HostedZoneId: 'Z0123456789ABCDEFGHIJ' }],
    });
    const https = all(e.platform, 'AWS::ElasticLoadBalancingV2::Listener').find((l) => l.Properties.Protocol === 'HTTPS')!;
    expect(JSON.stringify(https.Properties.Certificates)).toMatch(/Certificate/);
    const record = only(e.platform, 'AWS::Route53::RecordSet');
    expect(record.Properties).toMatchObject({ Name: 'app.example.com.', Type: 'A', HostedZoneId: 'Z0123456789ABCDEFGHIJ' });
    expect(e.spec.protectedEnvironment).toBe(true);
  });
});

describe('platform stack on EKS', () => {
  const e = estate({ platform: 'eks' }, EKS_NETWORK);

  test('EKS cluster in the private subnets with all control plane logs, a Fargate profile for the service namespace', () => {
    const cluster = only(e.platform, 'AWS::EKS::Cluster');
    expect(cluster.Properties.Name).toBe('flask-app-production');
    expect(cluster.Properties.Logging.ClusterLogging.EnabledTypes.map((t: { Type: string }) => t.Type).sort()).toEqual(
      ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'],
    );
    const profile = only(e.platform, 'AWS::EKS::FargateProfile');
    expect(profile.Properties.Selectors.map((sel: { Namespace: string }) => sel.Namespace)).toEqual(['flask-app', 'kube-system']);
    expect(JSON.stringify(profile.Properties.Subnets)).toMatch(/PrivateSubnetA.*PrivateSubnetB/);
    const router = all(e.platform, 'AWS::IAM::Policy').flatMap((p) => p.Properties.PolicyDocument.Statement).find((st: { Sid?: string }) => st.Sid === 'FargateLogRouter');
    expect(router.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^AppLogs/), 'Arn'] });
  });

  test('no ECS resources, no image parameter; the pods get an IRSA role', () => {
    e.platform.resourceCountIs('AWS::ECS::Service', 0);
    expect(e.platform.toJSON().Parameters?.[IMAGE_URI_PARAMETER]).toBeUndefined();
    const podRole = all(e.platform, 'AWS::IAM::Role').find((r) => JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes('AssumeRoleWithWebIdentity'));
    expect(podRole?.Properties.AssumeRolePolicyDocument.Statement[0].Principal.Federated).toEqual({ Ref: expect.stringMatching(/OidcProviderNative/) });
    // The condition keys carry the cluster's issuer, so they are resolved at deploy time (CfnJson).
    const trust = all(e.platform, 'Custom::AWSCDKCfnJson');
    expect(JSON.stringify(trust.map((t) => t.Properties.Value))).toMatch(/:sub.*system:serviceaccount:flask-app:app.*:aud.*sts\.amazonaws\.com/);
  });

  type Cfn = { Type: string; Properties: Record<string, any>; DependsOn?: string[] };
  const resources = () => Object.entries(e.platform.toJSON().Resources as Record<string, Cfn>);
  const idOf = (type: string) => {
    const ids = resources().filter(([, r]) => r.Type === type).map(([id]) => id);
    if (ids.length !== 1) throw new Error(`expected exactly one ${type}, found ${ids.length}`);
    return ids[0];
  };

  test('the AWS Load Balancer Controller chart: pinned version, kube-system, configured for the cluster, its VPC and region', () => {
    const chart = only(e.platform, 'Custom::AWSCDK-EKS-HelmChart');
    expect(chart.Properties).toMatchObject({
      Chart: 'aws-load-balancer-controller',
      Release: 'aws-load-balancer-controller',
      Repository: 'https://aws.github.io/eks-charts',
      Namespace: 'kube-system',
      Version: ALB_CONTROLLER_VERSION.helmChartVersion,
      Wait: true,
      ClusterName: { Ref: idOf('AWS::EKS::Cluster') },
    });
    expect(renderedJson(chart.Properties.Values)).toEqual({
      clusterName: `{{${JSON.stringify({ Ref: idOf('AWS::EKS::Cluster') })}}}`,
      serviceAccount: { create: false, name: 'aws-load-balancer-controller' },
      // Fargate pods cannot read the VPC and region from instance metadata.
      region: 'eu-west-1',
      vpcId: expect.stringMatching(/^\{\{\{"Fn::GetStackOutput":\{"StackName":"flask-app-production-network","Region":"eu-west-1","OutputName":"PublishOutputRefNetworkVpc\w+"\}\}\}\}$/),
      image: { repository: expect.stringMatching(/\/amazon\/aws-load-balancer-controller$/), tag: ALB_CONTROLLER_VERSION.version },
    });
  });

  test('the controller runs as an IRSA service account whose role carries its published IAM policy', () => {
    const manifests = all(e.platform, 'Custom::AWSCDK-EKS-KubernetesResource').flatMap((r) => renderedJson(r.Properties.Manifest) as { kind: string; metadata: any }[]);
    const account = manifests.find((m) => m.kind === 'ServiceAccount');
    expect(account?.metadata).toMatchObject({ name: 'aws-load-balancer-controller', namespace: 'kube-system' });
    expect(account?.metadata.annotations['eks.amazonaws.com/role-arn']).toMatch(/^\{\{\{"Fn::GetAtt":\["\w*AlbControlleralbsaRole\w+","Arn"\]\}\}\}$/);
    const trust = all(e.platform, 'Custom::AWSCDKCfnJson').map((t) => JSON.stringify(t.Properties.Value));
    expect(trust.some((t) => t.includes('system:serviceaccount:kube-system:aws-load-balancer-controller'))).toBe(true);
    const policy = all(e.platform, 'AWS::IAM::Policy').find((p) => JSON.stringify(p.Properties.Roles).includes('AlbControlleralbsaRole'));
    const actions = statementsOf(policy!).flatMap((s) => s.Action);
    expect(actions).toEqual(expect.arrayContaining([
      'elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets', 'elasticloadbalancing:DescribeTargetHealth', 'ec2:AuthorizeSecurityGroupIngress',
    ]));
  });

  test('the chart is installed only after the Fargate profile and the CoreDNS move to Fargate, by a kubectl provider in the private subnets', () => {
    const chart = resources().find(([, r]) => r.Type === 'Custom::AWSCDK-EKS-HelmChart')![1];
    const patch = only(e.platform, 'Custom::AWSCDK-EKS-KubernetesPatch');
    expect(patch.Properties).toMatchObject({ ResourceName: 'deployment/coredns', ResourceNamespace: 'kube-system' });
    expect(JSON.parse(patch.Properties.ApplyPatchJson).spec.template.metadata.annotations).toEqual({ 'eks.amazonaws.com/compute-type': 'fargate' });
    expect(chart.DependsOn).toEqual(expect.arrayContaining([idOf('AWS::EKS::FargateProfile'), idOf('Custom::AWSCDK-EKS-KubernetesPatch')]));
    const handler = all(e.platform, 'AWS::Lambda::Function').find((f) => f.Properties.Description === 'onEvent handler for EKS kubectl resource provider');
    expect(JSON.stringify(handler?.Properties.VpcConfig.SubnetIds)).toMatch(/PrivateSubnetA.*PrivateSubnetB/);
  });

  test('the kubectl layer, the cluster and the deploy step agree on the Kubernetes minor', () => {
    const layer = all(e.platform, 'AWS::Lambda::LayerVersion').find((l) => String(l.Properties.Description).includes('/opt/kubectl/kubectl'));
    expect(layer?.Properties.Description).toMatch(new RegExp(`kubectl ${KUBERNETES_VERSION.version.replace('.', '\\.')}\\.`));
    expect(only(e.platform, 'AWS::EKS::Cluster').Properties.Version).toBe(KUBERNETES_VERSION.version);
    expect(KUBECTL_VERSION.startsWith(`v${KUBERNETES_VERSION.version}.`)).toBe(true);
  });

  test('the metrics server the HPA reads from, and Kubernetes secrets encrypted with a rotating key', () => {
    const addon = only(e.platform, 'AWS::EKS::Addon');
    expect(addon.Properties).toMatchObject({ AddonName: METRICS_SERVER_ADDON });
    const cluster = only(e.platform, 'AWS::EKS::Cluster');
    expect(cluster.Properties.EncryptionConfig).toEqual([{ Provider: { KeyArn: expect.anything() }, Resources: ['secrets'] }]);
    const key = only(e.platform, 'AWS::KMS::Key');
    expect(key.Properties.EnableKeyRotation).toBe(true);
    expect(key.Properties.KeyPolicy.Statement).toEqual(expect.arrayContaining([expect.objectContaining({ Sid: 'DenyGrantsExceptForAwsServices', Effect: 'Deny', Action: 'kms:CreateGrant' })]));
  });
});
