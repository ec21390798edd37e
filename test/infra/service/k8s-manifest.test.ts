import { spawnSync } from 'child_process';
import { CODEBUILD_NODE_RUNTIME, IMAGE_PLACEHOLDER, SERVICE_ACCOUNT, cdkCliVersionFromLockfile, deliveryDriftMessage, eksDeployBuildSpec, infraDeployBuildSpec, serviceManifest, stacksDeployedByPipeline } from '../../../src/infra';
import { specWith } from '../fixtures';
import { EKS_NETWORK } from './fixtures';

describe('the Kubernetes manifest of the EKS option', () => {
  const spec = specWith(
    { platform: 'eks', container: { port: 8080, cpu: 512, memoryMiB: 1024, desiredCount: 3, maxCount: 5, cpuTargetPercent: 70, healthCheckPath: '/ready' } },
    EKS_NETWORK,
  );
  const manifest = serviceManifest(spec, { targetGroupArn: 'arn:tg', podRoleArn: 'arn:role', environment: { DATA_BUCKET: 'b' } }) as { items: any[] };
  const byKind = (kind: string) => manifest.items.find((i) => i.kind === kind);

  test('namespace, service account, deployment, service, autoscaler and target group binding', () => {
    expect(manifest.items.map((i) => i.kind)).toEqual([
      'Namespace', 'Namespace', 'ConfigMap', 'ServiceAccount', 'Deployment', 'Service', 'HorizontalPodAutoscaler', 'TargetGroupBinding',
    ]);
    const workload = manifest.items.filter((i) => !['Namespace', 'ConfigMap'].includes(i.kind));
    expect(new Set(workload.map((i) => i.metadata.namespace))).toEqual(new Set(['flask-app']));
  });

  test('Fargate routes container output to the same log group as the ECS option', () => {
    const observability = manifest.items[1];
    expect(observability.metadata).toEqual({ name: 'aws-observability', labels: { 'aws-observability': 'enabled' } });
    const config = byKind('ConfigMap');
    expect(config.metadata).toEqual({ name: 'aws-logging', namespace: 'aws-observability' });
    expect(config.data['output.conf'].split('\n')).toEqual(expect.arrayContaining([
      '[OUTPUT]', '    Name cloudwatch_logs', '    region eu-west-1', '    log_group_name /slipway/flask-app/production/app',
    ]));
  });

  test('the deployment is sized and probed like the ECS task, with the image left for the deploy step', () => {
    const deployment = byKind('Deployment');
    // The HPA owns the count: a replicas field would reset it to this value on every kubectl apply.
    expect(deployment.spec).not.toHaveProperty('replicas');
    const [container] = deployment.spec.template.spec.containers;
    expect(container).toMatchObject({
      image: IMAGE_PLACEHOLDER,
      ports: [{ containerPort: 8080 }],
      resources: { requests: { cpu: '512m', memory: '1024Mi' } },
      readinessProbe: { httpGet: { path: '/ready', port: 8080 } },
      env: [{ name: 'DATA_BUCKET', value: 'b' }],
    });
    expect(deployment.spec.template.spec.serviceAccountName).toBe(SERVICE_ACCOUNT);
    expect(byKind('ServiceAccount').metadata.annotations).toEqual({ 'eks.amazonaws.com/role-arn': 'arn:role' });
  });

  test('autoscaling on CPU from desiredCount to maxCount; pods bound to the ALB target group by IP', () => {
    expect(byKind('HorizontalPodAutoscaler').spec).toMatchObject({ minReplicas: 3, maxReplicas: 5, metrics: [{ resource: { target: { averageUtilization: 70 } } }] });
    expect(byKind('TargetGroupBinding').spec).toEqual({ serviceRef: { name: 'flask-app-production', port: 8080 }, targetGroupARN: 'arn:tg', targetType: 'ip' });
  });
});

/** Every command of a buildspec, in phase order. */
function commandsOf(buildSpec: Record<string, unknown>): string[] {
  const phases = (buildSpec as { phases: Record<string, { commands: string[] }> }).phases;
  return Object.values(phases).flatMap((p) => p.commands);
}

const INPUTS = { cdkCliVersion: '2.1148.1' };

describe('buildspecs', () => {
  test('every command parses as bash (CodeBuild runs them with env.shell bash)', () => {
    for (const buildSpec of [infraDeployBuildSpec(specWith(), INPUTS), eksDeployBuildSpec(specWith({ platform: 'eks' }, EKS_NETWORK))]) {
      expect((buildSpec as { env: { shell: string } }).env.shell).toBe('bash');
      const result = spawnSync('bash', ['-n'], { input: commandsOf(buildSpec).join('\n'), encoding: 'utf8' });
      expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    }
  });

  test('the infrastructure step refuses to run without IMAGE_URI, stops on a stale pipeline, then deploys with the image as the one path', () => {
    const spec = specWith();
    const buildSpec = infraDeployBuildSpec(spec, INPUTS) as any;
    const commands: string[] = buildSpec.phases.build.commands;
    expect(commands[0]).toMatch(/if \[ -z "\$\{IMAGE_URI:-\}" \]; then echo "IMAGE_URI is empty.*exit 1; fi/);
    const drift = commands.findIndex((c) => c.includes('cdk diff'));
    const deploy = commands.findIndex((c) => c.startsWith('cdk deploy'));
    expect(drift).toBeGreaterThan(0);
    expect(deploy).toBeGreaterThan(drift);
    expect(commands[drift]).toBe(`if ! cdk diff --app . --fail --no-version-reporting flask-app-production-delivery; then echo ${JSON.stringify(deliveryDriftMessage(spec))} >&2; exit 1; fi`);
    expect(deliveryDriftMessage(spec)).toMatch(/npx cdk deploy flask-app-production-delivery/);
    expect(commands[commands.length - 1]).toBe(commands[deploy]);
    // No imagedefinitions.json: the ECS deploy action (a second path) is gone.
    expect(buildSpec.artifacts).toBeUndefined();
  });

  test('CodeBuild pins the Node runtime and the lockfile\'s aws-cdk CLI', () => {
    const buildSpec = infraDeployBuildSpec(specWith(), INPUTS) as any;
    expect(buildSpec.phases.install['runtime-versions']).toEqual({ nodejs: CODEBUILD_NODE_RUNTIME });
    expect(['22', '24']).toContain(CODEBUILD_NODE_RUNTIME);
    expect(buildSpec.phases.install.commands[0]).toBe('npm install --global --no-audit --no-fund aws-cdk@2.1148.1');
    expect((eksDeployBuildSpec(specWith({ platform: 'eks' }, EKS_NETWORK)) as any).phases.install['runtime-versions']).toEqual({ nodejs: CODEBUILD_NODE_RUNTIME });
  });

  test('the CLI version comes from package-lock.json; a lockfile without aws-cdk is refused with the fix', () => {
    const lock = (version?: string) => JSON.stringify({ lockfileVersion: 3, packages: { '': {}, ...(version ? { 'node_modules/aws-cdk': { version } } : {}) } });
    expect(cdkCliVersionFromLockfile(lock('2.1148.1'))).toBe('2.1148.1');
    expect(() => cdkCliVersionFromLockfile(lock())).toThrow(/resolves no aws-cdk CLI version.*keep aws-cdk in devDependencies and run npm install/);
    expect(() => cdkCliVersionFromLockfile(lock('^2'))).toThrow(/"\^2"/);
    expect(() => cdkCliVersionFromLockfile('{')).toThrow(/package-lock.json is not JSON/);
  });

  test('the pipeline deploys every stack but its own', () => {
    const spec = specWith();
    expect(stacksDeployedByPipeline(spec)).toEqual([
      'flask-app-production-network', 'flask-app-production-hosts', 'flask-app-production-access', 'flask-app-production-platform', 'flask-app-production-data', 'flask-app-production-logs', 'flask-app-production-observability',
    ]);
  });

  test('the EKS step checks for the load balancer controller before applying', () => {
    const commands: string[] = (eksDeployBuildSpec(specWith({ platform: 'eks' }, EKS_NETWORK)) as any).phases.build.commands;
    const check = commands.findIndex((c) => c.includes('targetgroupbindings.elbv2.k8s.aws'));
    const apply = commands.findIndex((c) => c.includes('kubectl apply'));
    expect(check).toBeGreaterThan(0);
    expect(apply).toBeGreaterThan(check);
    // The platform stack installs the controller, so the failure points there.
    expect(commands[check]).toMatch(/then echo "the AWS Load Balancer Controller is not installed .*The flask-app-production-platform stack installs it .*redeploy it" >&2; exit 1; fi$/);
    expect(commands[apply]).toContain(`sed "s|${IMAGE_PLACEHOLDER}|\${IMAGE_URI}|g"`);
    const coredns = commands.findIndex((c) => c.includes('kubectl patch deployment coredns'));
    expect(coredns).toBeGreaterThan(0);
    expect(coredns).toBeLessThan(apply);
    expect(commands[coredns]).toMatch(/^if \[ "\$\(kubectl get deployment coredns .*\)" = "ec2" \]; then kubectl patch .*; fi$/);
  });
});
