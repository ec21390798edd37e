import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { BatchGetImageCommand, DescribeImageScanFindingsCommand, ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import { CommandOptions } from '../../../actions/ecr-image/src/command';
import { ImageDeps, publishImage } from '../../../actions/ecr-image/src/image';
import { ImageInputs } from '../../../actions/ecr-image/src/inputs';
import { ManualClock } from '../../../actions/shared/time';
import { TestRunner, testRunner } from '../support/runner';

const HOST = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
const INDEX = `sha256:${'1'.repeat(64)}`;
const AMD = `sha256:${'2'.repeat(64)}`;
const ARM = `sha256:${'3'.repeat(64)}`;
const ATTEST = `sha256:${'4'.repeat(64)}`;
const PASSWORD = 'ecr-token-password';

const ecr = mockClient(ECRClient);

const INPUTS: ImageInputs = {
  repository: 'flask-app',
  context: '.',
  dockerfile: './Dockerfile',
  tags: ['abc'],
  buildArgs: [],
  platforms: [],
  builder: 'docker',
  push: true,
  registry: 'ecr',
  threshold: 'HIGH',
  scanTimeoutMinutes: 10,
  ignoreCves: new Set(),
};

interface Run {
  readonly t: TestRunner;
  readonly commands: { argv: string[]; options?: CommandOptions }[];
  readonly deps: ImageDeps;
}

let dir: string;
let runs: Run[] = [];

function setup(pushedDigest = AMD): Run {
  const t = testRunner();
  const commands: Run['commands'] = [];
  const clock = new ManualClock();
  const deps: ImageDeps = {
    ecr: new ECRClient({ region: 'eu-west-1' }),
    runner: t.runner,
    commands: async (argv, options) => {
      commands.push({ argv: [...argv], options });
      if (argv.includes('--metadata-file')) writeFileSync(argv[argv.indexOf('--metadata-file') + 1], JSON.stringify({ 'containerimage.digest': pushedDigest }));
      return { stdout: '' };
    },
    workDir: dir,
    clock,
    sleep: clock.sleep,
    random: () => 0,
  };
  const run = { t, commands, deps };
  runs.push(run);
  return run;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'slipway-image-'));
  ecr.on(GetAuthorizationTokenCommand).resolves({ authorizationData: [{ authorizationToken: Buffer.from(`AWS:${PASSWORD}`).toString('base64'), proxyEndpoint: `https://${HOST}` }] });
  ecr.on(BatchGetImageCommand).resolves({
    images: [{ imageId: { imageDigest: AMD, imageTag: 'abc' }, imageManifest: '{"schemaVersion":2}', imageManifestMediaType: 'application/vnd.oci.image.manifest.v1+json' }],
  });
  ecr.on(DescribeImageScanFindingsCommand).resolves({ imageScanStatus: { status: 'COMPLETE' }, imageScanFindings: { findings: [{ name: 'CVE-2024-7', severity: 'MEDIUM' }] } });
});

afterEach(() => {
  ecr.reset();
  for (const r of runs) r.t.cleanup();
  runs = [];
  rmSync(dir, { recursive: true, force: true });
});
afterAll(() => ecr.restore());

describe('publishImage (ECR)', () => {
  test('logs in with the token on stdin, builds and pushes, confirms the digest in ECR, and passes the gate', async () => {
    const r = setup();
    const result = await publishImage(INPUTS, r.deps);
    expect(result).toMatchObject({ imageUri: `${HOST}/flask-app:abc`, digest: AMD });
    expect(r.commands[0]).toEqual({ argv: ['docker', 'login', '--username', 'AWS', '--password-stdin', HOST], options: { stdin: PASSWORD } });
    expect(r.commands.flatMap((c) => c.argv).join(' ')).not.toContain(PASSWORD);
    expect(r.commands[1].argv).toContain(`type=registry,ref=${HOST}/flask-app:buildcache`);
    expect(r.t.log().indexOf(`::add-mask::${PASSWORD}`)).toBeGreaterThanOrEqual(0);
    expect(r.t.outputs()).toEqual({
      'image-uri': `${HOST}/flask-app:abc`,
      'digest': AMD,
      'findings-critical': '0',
      'findings-high': '0',
      'findings-medium': '1',
      'findings-low': '0',
      'findings-informational': '0',
      'findings-undefined': '0',
    });
    expect(r.t.state()).toEqual({ registry: HOST, builder: 'docker' });
    expect(r.t.summary()).toContain('### Image scan: passed (threshold HIGH)');
    expect(ecr.commandCalls(BatchGetImageCommand)[0].args[0].input).toMatchObject({ repositoryName: 'flask-app', imageIds: [{ imageTag: 'abc' }] });
  });

  test('findings at or above the threshold fail the job, listing them', async () => {
    ecr.on(DescribeImageScanFindingsCommand).resolves({
      imageScanStatus: { status: 'COMPLETE' },
      imageScanFindings: { findings: [{ name: 'CVE-2024-1', severity: 'CRITICAL', attributes: [{ key: 'package_name', value: 'openssl' }] }, { name: 'CVE-2024-2', severity: 'HIGH' }] },
    });
    const r = setup();
    await expect(publishImage({ ...INPUTS, ignoreCves: new Set(['CVE-2024-2']) }, r.deps)).rejects.toThrow(
      `${HOST}/flask-app:abc has 1 finding(s) at or above HIGH: CVE-2024-1 (CRITICAL, openssl). Fix them, or list accepted ones under 'ignore-cves'.`,
    );
    expect(r.t.outputs()['findings-critical']).toBe('1');
    expect(r.t.outputs()['findings-high']).toBe('0');
    expect(r.t.summary()).toContain('### Image scan: FAILED (threshold HIGH)');
  });

  test('a multi-platform index is scanned per platform image, attestations left out', async () => {
    ecr.on(BatchGetImageCommand).resolves({
      images: [{
        imageId: { imageDigest: INDEX, imageTag: 'abc' },
        imageManifestMediaType: 'application/vnd.oci.image.index.v1+json',
        imageManifest: JSON.stringify({
          manifests: [
            { digest: AMD, platform: { os: 'linux', architecture: 'amd64' } },
            { digest: ARM, platform: { os: 'linux', architecture: 'arm64' } },
            { digest: ATTEST, annotations: { 'vnd.docker.reference.type': 'attestation-manifest' } },
          ],
        }),
      }],
    });
    const r = setup(INDEX);
    await publishImage({ ...INPUTS, platforms: ['linux/amd64', 'linux/arm64'] }, r.deps);
    expect(ecr.commandCalls(DescribeImageScanFindingsCommand).map((c) => c.args[0].input.imageId?.imageDigest)).toEqual([AMD, ARM]);
    expect(r.t.outputs().digest).toBe(INDEX);
    expect(r.t.outputs()['findings-medium']).toBe('2');
  });

  test('a tag that ECR resolves to another digest fails closed', async () => {
    const r = setup(ARM);
    await expect(publishImage(INPUTS, r.deps)).rejects.toThrow(`ECR says flask-app:abc is ${AMD}, but the builder reported pushing ${ARM}`);
  });

  test('an image ECR does not have after the push fails closed', async () => {
    ecr.on(BatchGetImageCommand).resolves({ images: [], failures: [{ failureCode: 'ImageNotFound', failureReason: 'Requested image not found' }] });
    await expect(publishImage(INPUTS, setup().deps)).rejects.toThrow('ECR has no image flask-app:abc after the push (ImageNotFound: Requested image not found)');
  });

  test('threshold NONE pushes without waiting for the scan, with a notice', async () => {
    const r = setup();
    await publishImage({ ...INPUTS, threshold: 'NONE' }, r.deps);
    expect(ecr.commandCalls(DescribeImageScanFindingsCommand)).toHaveLength(0);
    expect(r.t.log()).toContain('::notice::scan-severity-threshold is NONE');
  });

  test('push: false builds only, with no digest and no ECR image calls', async () => {
    const r = setup();
    await publishImage({ ...INPUTS, push: false, threshold: 'NONE' }, r.deps);
    expect(r.t.outputs()).toEqual({ 'image-uri': `${HOST}/flask-app:abc`, 'digest': '' });
    expect(ecr.commandCalls(BatchGetImageCommand)).toHaveLength(0);
  });

  test('a token that is not user:password fails closed', async () => {
    ecr.on(GetAuthorizationTokenCommand).resolves({ authorizationData: [{ authorizationToken: Buffer.from('nocolon').toString('base64'), proxyEndpoint: `https://${HOST}` }] });
    await expect(publishImage(INPUTS, setup().deps)).rejects.toThrow('ECR GetAuthorizationToken returned a token that is not base64 of user:password');
    ecr.on(GetAuthorizationTokenCommand).resolves({ authorizationData: [] });
    await expect(publishImage(INPUTS, setup().deps)).rejects.toThrow('ECR GetAuthorizationToken returned no authorizationToken or proxyEndpoint');
  });
});

describe('publishImage (Docker Hub)', () => {
  test('logs in with the given credentials, pushes, and says plainly that no scan ran', async () => {
    const r = setup();
    const result = await publishImage({ ...INPUTS, repository: 'org/flask-app', registry: 'dockerhub', credentials: { username: 'bot', password: 'pat' }, threshold: 'NONE' }, { ...r.deps, ecr: undefined });
    expect(result).toEqual({ imageUri: 'docker.io/org/flask-app:abc', digest: AMD });
    expect(r.commands[0]).toEqual({ argv: ['docker', 'login', '--username', 'bot', '--password-stdin', 'docker.io'], options: { stdin: 'pat' } });
    expect(r.t.log()).toContain('::notice::Docker Hub images are not scanned by this action: no scan gate ran.');
    expect(ecr.calls()).toHaveLength(0);
  });
});
