/**
 * The real image path: buildah builds a FROM scratch Dockerfile and pushes it
 * to Debian's docker-registry on 127.0.0.1, logged in with the password our
 * mocked ECR GetAuthorizationToken hands out; skopeo confirms image and digest.
 */
import { execFileSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import {
  BatchGetImageCommand,
  DescribeImageScanFindingsCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetAuthorizationTokenCommand,
  GetRegistryScanningConfigurationCommand,
} from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import { REGISTRY_TOOLS, TestRegistry, startRegistry } from './registry-harness';
import { logoutArgv } from '../../../actions/ecr-image/src/builders';
import { spawnCommands } from '../../../actions/ecr-image/src/command';
import { publishImage } from '../../../actions/ecr-image/src/image';
import { ImageInputs } from '../../../actions/ecr-image/src/inputs';
import { ManualClock } from '../../../actions/shared/time';
import { describeWithTools } from '../../support/real-tools';
import { testRunner } from '../support/runner';

const PASSWORD = 'ecr-password-from-mocked-token';

describeWithTools('ecr-image real path (docker-registry + buildah + skopeo)', { commands: REGISTRY_TOOLS, root: true }, () => {
  let registry: TestRegistry;
  let context: string;
  const ecr = mockClient(ECRClient);

  beforeAll(async () => {
    registry = await startRegistry(PASSWORD);
    context = mkdtempSync(join(tmpdir(), 'slipway-context-'));
    writeFileSync(join(context, 'hello.txt'), 'hello from slipway\n');
    writeFileSync(join(context, 'Dockerfile'), 'FROM scratch\nARG GREETING=none\nCOPY hello.txt /hello.txt\nLABEL greeting=$GREETING\n');
  }, 30_000);

  afterAll(async () => {
    ecr.restore();
    await registry?.stop();
    if (context) rmSync(context, { recursive: true, force: true });
  });

  test('builds, pushes both tags, resolves the digest, passes the scan gate, and logs out', async () => {
    ecr.on(GetAuthorizationTokenCommand).resolves({
      authorizationData: [{ authorizationToken: Buffer.from(`AWS:${PASSWORD}`).toString('base64'), proxyEndpoint: `http://${registry.host}` }],
    });
    // ECR's view of the image is the registry's own manifest.
    ecr.on(BatchGetImageCommand).callsFake(async (input: { imageIds: { imageTag: string }[] }) => {
      const m = await registry.manifest('flask-app', input.imageIds[0].imageTag);
      const imageId = { imageDigest: m.digest, imageTag: input.imageIds[0].imageTag };
      return { images: [{ imageId, imageManifest: m.body, imageManifestMediaType: m.mediaType }] };
    });
    ecr.on(DescribeRepositoriesCommand).resolves({ repositories: [{ repositoryName: 'flask-app', imageTagMutability: 'IMMUTABLE', imageScanningConfiguration: { scanOnPush: true } }] });
    ecr.on(GetRegistryScanningConfigurationCommand).resolves({ scanningConfiguration: { scanType: 'BASIC', rules: [] } });
    ecr.on(DescribeImagesCommand).rejects(Object.assign(new Error("The image with imageId {imageDigest:'null', imageTag:'0123abc'} does not exist"), { name: 'ImageNotFoundException' }));
    ecr.on(DescribeImageScanFindingsCommand).resolves({
      imageScanStatus: { status: 'COMPLETE' },
      imageScanFindings: { imageScanCompletedAt: new Date(1_718_530_000_000), findings: [{ name: 'CVE-2024-0001', severity: 'HIGH' }, { name: 'CVE-2024-0002', severity: 'LOW' }], findingSeverityCounts: { HIGH: 1, LOW: 1 } },
    });
    const inputs: ImageInputs = {
      repository: 'flask-app',
      context,
      dockerfile: join(context, 'Dockerfile'),
      tags: ['0123abc', 'latest'],
      buildArgs: [{ name: 'GREETING', value: 'hi' }],
      platforms: [],
      builder: 'buildah',
      cache: 'none',
      push: true,
      registry: 'ecr',
      threshold: 'HIGH',
      scanTimeoutMinutes: 5,
      ignoreCves: new Set(['CVE-2024-0001']),
    };
    const t = testRunner();
    const workDir = mkdtempSync(join(tmpdir(), 'slipway-work-'));
    const clock = new ManualClock();
    const lines: string[] = [];
    try {
      const result = await publishImage(inputs, {
        ecr: new ECRClient({ region: 'eu-west-1' }),
        runner: t.runner,
        commands: spawnCommands((line) => lines.push(line), { ...process.env, ...registry.builderEnv }),
        workDir,
        env: process.env,
        clock,
        sleep: clock.sleep,
        random: () => 0,
      });

      // The password was masked and never appeared on a command line.
      expect(t.log()).toContain(`::add-mask::${PASSWORD}`);
      expect(lines.filter((l) => l.startsWith('[command]')).join('\n')).not.toContain(PASSWORD);

      const creds = ['--creds', `AWS:${PASSWORD}`, '--tls-verify=false'];
      const inspect = JSON.parse(execFileSync('skopeo', ['inspect', ...creds, `docker://${registry.host}/flask-app:0123abc`], { env: { ...process.env, ...registry.builderEnv } }).toString()) as {
        Digest: string; RepoTags: string[]; Labels: Record<string, string>;
      };
      expect(result.digest).toMatch(/^sha256:[a-f0-9]{64}$/);
      expect(inspect.Digest).toBe(result.digest);
      expect(inspect.RepoTags.sort()).toEqual(['0123abc', 'latest']);
      expect(inspect.Labels.greeting).toBe('hi');
      const latest = JSON.parse(execFileSync('skopeo', ['inspect', ...creds, `docker://${registry.host}/flask-app:latest`]).toString()) as { Digest: string };
      expect(latest.Digest).toBe(result.digest);

      expect(t.outputs()).toMatchObject({ 'image-uri': `${registry.host}/flask-app:0123abc`, 'digest': result.digest, 'findings-high': '0', 'findings-low': '1' });
      expect(t.state()).toEqual({ registry: registry.host, builder: 'buildah' });

      const auth = registry.builderEnv.REGISTRY_AUTH_FILE!;
      expect(readFileSync(auth, 'utf8')).toContain(registry.host);
      await spawnCommands(() => undefined, { ...process.env, ...registry.builderEnv })(logoutArgv('buildah', registry.host));
      expect(readFileSync(auth, 'utf8')).not.toContain(registry.host);
    } finally {
      t.cleanup();
      rmSync(workDir, { recursive: true, force: true });
    }
  }, 120_000);

  test('a wrong password from ECR fails the login with the builder\'s own message', async () => {
    ecr.on(GetAuthorizationTokenCommand).resolves({
      authorizationData: [{ authorizationToken: Buffer.from('AWS:wrong').toString('base64'), proxyEndpoint: `http://${registry.host}` }],
    });
    const t = testRunner();
    try {
      await expect(publishImage({
        repository: 'flask-app',
        context,
        dockerfile: join(context, 'Dockerfile'),
        tags: ['x'],
        buildArgs: [],
        platforms: [],
        builder: 'buildah',
        cache: 'none',
        push: true,
        registry: 'ecr',
        threshold: 'NONE',
        scanTimeoutMinutes: 1,
        ignoreCves: new Set(),
      }, {
        ecr: new ECRClient({ region: 'eu-west-1' }),
        runner: t.runner,
        commands: spawnCommands(() => undefined, { ...process.env, ...registry.builderEnv }),
        workDir: context,
        env: process.env,
        clock: new ManualClock(),
        sleep: async () => undefined,
        random: () => 0,
      })).rejects.toThrow(/'buildah login' exited with code \d+:\n.*invalid username\/password/);
    } finally {
      t.cleanup();
    }
  }, 60_000);
});
