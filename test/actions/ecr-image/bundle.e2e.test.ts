/**
 * The committed ecr-image bundles run as the runner runs them: inputs from
 * INPUT_*, ECR reached through AWS_ENDPOINT_URL_ECR (a local AWS JSON
 * endpoint), a real registry and a real buildah.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { FakeEcr } from './fake-ecr';
import { REGISTRY_TOOLS, TestRegistry, startRegistry } from './registry-harness';
import { basicComplete } from './scan-shapes';
import { describeWithTools } from '../../support/real-tools';
import { AwsErrorReply, AwsJsonServer, startAwsJsonServer } from '../support/aws-json-server';
import { outputsTheRunnerWouldDrop, registeredMasks } from '../support/masks';
import { runBundle } from '../support/run-bundle';

const DIST = join(__dirname, '../../../actions/ecr-image/dist');
const PASSWORD = 'bundle-e2e-password';

test('ecr-image bundle: a missing required input exits non-zero with ::error:: naming it', async () => {
  const run = await runBundle(join(DIST, 'index.js'));
  expect(run.code).toBe(1);
  expect(run.stdout).toContain("::error::input 'repository' is required but was not set.");
});

test('ecr-image bundle: a scan threshold with Docker Hub is refused before anything runs, password masked', async () => {
  const run = await runBundle(join(DIST, 'index.js'), {
    inputs: { 'repository': 'org/app', 'registry': 'dockerhub', 'registry-username': 'bot', 'registry-password': 'hub-secret', 'scan-severity-threshold': 'HIGH' },
  });
  expect(run.code).toBe(1);
  expect(run.stdout.indexOf('::add-mask::hub-secret')).toBeLessThan(run.stdout.indexOf('::error::'));
  expect(run.stdout).toContain("::error::input 'scan-severity-threshold' is HIGH, but Docker Hub images are not scanned by this action.");
});

describeWithTools('ecr-image bundle end to end (docker-registry + buildah)', { commands: REGISTRY_TOOLS, root: true }, () => {
  let registry: TestRegistry;
  let ecr: AwsJsonServer;
  let context: string;

  beforeAll(async () => {
    registry = await startRegistry(PASSWORD);
    context = mkdtempSync(join(tmpdir(), 'slipway-e2e-context-'));
    writeFileSync(join(context, 'app.txt'), 'e2e\n');
    writeFileSync(join(context, 'Dockerfile'), 'FROM scratch\nCOPY app.txt /app.txt\n');
    // ECR's repository and scanning rules from the fake; its images are the real registry's.
    const fake = new FakeEcr({
      password: PASSWORD,
      proxyEndpoint: `http://${registry.host}`,
      registryScanning: { scanType: 'BASIC', rules: [{ scanFrequency: 'SCAN_ON_PUSH', repositoryFilters: [{ filter: 'flask-app', filterType: 'WILDCARD' }] }] },
    });
    ecr = await startAwsJsonServer({
      ...fake.handlers,
      DescribeImages: async (body) => {
        const tag = (body.imageIds as { imageTag: string }[])[0].imageTag;
        const m = await registry.manifest(String(body.repositoryName), tag).catch(() => undefined);
        if (!m) throw new AwsErrorReply('ImageNotFoundException', `The image with imageId {imageDigest:'null', imageTag:'${tag}'} does not exist within the repository with name '${String(body.repositoryName)}'`);
        return { imageDetails: [{ imageDigest: m.digest, imageTags: [tag], repositoryName: body.repositoryName }] };
      },
      BatchGetImage: async (body) => {
        const tag = (body.imageIds as { imageTag: string }[])[0].imageTag;
        const m = await registry.manifest(String(body.repositoryName), tag);
        const image = { imageId: { imageDigest: m.digest, imageTag: tag }, imageManifest: m.body, imageManifestMediaType: m.mediaType };
        return { images: [image], failures: [] };
      },
      DescribeImageScanFindings: () => basicComplete([{ name: 'CVE-2024-9999', severity: 'CRITICAL' }, { name: 'CVE-2024-1111', severity: 'LOW' }]),
    });
  }, 30_000);

  afterAll(async () => {
    await ecr?.close();
    await registry?.stop();
    if (context) rmSync(context, { recursive: true, force: true });
  });

  test('builds and pushes for real; the CRITICAL finding fails the gate; the post step logs out', async () => {
    const env = { ...registry.builderEnv, AWS_ENDPOINT_URL_ECR: ecr.url };
    const run = await runBundle(join(DIST, 'index.js'), {
      inputs: { repository: 'flask-app', context: context, builder: 'buildah', tags: 'e2e\nlatest' },
      env,
    });
    expect(run.stdout).toContain(`::add-mask::${PASSWORD}`);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`::error::${registry.host}/flask-app:e2e has 1 finding(s) at or above HIGH: CVE-2024-9999 (CRITICAL).`);
    const pushed = await registry.manifest('flask-app', 'e2e');
    expect(run.outputs).toMatchObject({ 'image-uri': `${registry.host}/flask-app:e2e`, 'digest': pushed.digest, 'findings-critical': '1', 'findings-low': '1' });
    expect(ecr.calls.map((c) => c.operation)).toEqual([
      'GetAuthorizationToken', 'DescribeRepositories', 'GetRegistryScanningConfiguration', 'DescribeImages', 'DescribeImages', 'BatchGetImage', 'DescribeImageScanFindings',
    ]);
    // The runner drops any job output containing a masked value: none may.
    expect(registeredMasks(run.stdout).length).toBeGreaterThanOrEqual(2);
    expect(outputsTheRunnerWouldDrop(run.outputs, registeredMasks(run.stdout))).toEqual([]);
    expect(run.summary).toContain('CVE-2024-9999');

    expect(readFileSync(registry.builderEnv.REGISTRY_AUTH_FILE!, 'utf8')).toContain(registry.host);
    const post = await runBundle(join(DIST, 'post.js'), { env: { ...env, STATE_registry: run.state.registry, STATE_builder: run.state.builder } });
    expect(post.code).toBe(0);
    expect(readFileSync(registry.builderEnv.REGISTRY_AUTH_FILE!, 'utf8')).not.toContain(registry.host);
  }, 120_000);

  test('a re-run for tags already pushed builds nothing, reports the existing digest and still gates on it', async () => {
    const before = await registry.manifest('flask-app', 'e2e');
    ecr.calls.length = 0;
    const run = await runBundle(join(DIST, 'index.js'), {
      inputs: { repository: 'flask-app', context: context, builder: 'buildah', tags: 'e2e\nlatest' },
      env: { ...registry.builderEnv, AWS_ENDPOINT_URL_ECR: ecr.url },
    });
    expect(run.code).toBe(1);
    expect(run.stdout).not.toContain('[command] buildah build');
    expect(run.stdout).toContain(`::notice::flask-app:e2e, latest already exists in the immutable repository as ${before.digest}; reusing it`);
    expect(run.stdout).toContain('::error::');
    expect(run.stdout).toContain('CVE-2024-9999 (CRITICAL)');
    expect(run.outputs).toMatchObject({ 'digest': before.digest, 'findings-critical': '1' });
    expect(ecr.calls.map((c) => c.operation)).toContain('DescribeImageScanFindings');
    expect(outputsTheRunnerWouldDrop(run.outputs, registeredMasks(run.stdout))).toEqual([]);
  }, 120_000);

  test('ignore-cves lets the same image through, exit 0', async () => {
    const run = await runBundle(join(DIST, 'index.js'), {
      inputs: { 'repository': 'flask-app', 'context': context, 'builder': 'buildah', 'tags': 'e2e-ok', 'ignore-cves': 'CVE-2024-9999' },
      env: { ...registry.builderEnv, AWS_ENDPOINT_URL_ECR: ecr.url },
    });
    expect(run.stdout).not.toContain('::error::');
    expect(run.code).toBe(0);
    expect(run.outputs['findings-critical']).toBe('0');
  }, 120_000);
});
