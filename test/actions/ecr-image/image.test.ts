import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { BatchGetImageCommand, DescribeImageScanFindingsCommand, ECRClient, GetAuthorizationTokenCommand, GetRegistryScanningConfigurationCommand } from '@aws-sdk/client-ecr';
import { AwsClientStub } from 'aws-sdk-client-mock';
import { FakeEcr, FakeEcrOptions } from './fake-ecr';
import { basicComplete, ENHANCED_COMPLETE_BEFORE_FINDINGS, ENHANCED_PENDING, enhancedWithCritical } from './scan-shapes';
import { CommandOptions } from '../../../actions/ecr-image/src/command';
import { ImageDeps, publishImage } from '../../../actions/ecr-image/src/image';
import { ImageInputs } from '../../../actions/ecr-image/src/inputs';
import { ActionError } from '../../../actions/shared/errors';
import { ManualClock } from '../../../actions/shared/time';
import { TestRunner, testRunner } from '../support/runner';
import { commandsTheRunnerRuns } from '../support/workflow-commands';

const HOST = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
const INDEX = `sha256:${'1'.repeat(64)}`;
const AMD = `sha256:${'2'.repeat(64)}`;
const ARM = `sha256:${'3'.repeat(64)}`;
const ATTEST = `sha256:${'4'.repeat(64)}`;
const PASSWORD = 'ecr-token-password';

let fake: FakeEcr;
let ecr: AwsClientStub<ECRClient>;
/** Scan on push for every repository: the registry rule most accounts have. */
const SCAN_ON_PUSH_ALL: FakeEcrOptions = { registryScanning: { scanType: 'BASIC', rules: [{ scanFrequency: 'SCAN_ON_PUSH', repositoryFilters: [{ filter: '*', filterType: 'WILDCARD' }] }] } };

const INPUTS: ImageInputs = {
  repository: 'flask-app',
  context: '.',
  dockerfile: './Dockerfile',
  tags: ['abc'],
  buildArgs: [],
  platforms: [],
  builder: 'docker',
  cache: 'none',
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

/** The builder as the action sees it: `docker buildx inspect` answers `driver`; a push lands in the fake ECR (or is refused as ECR refuses it). */
function setup(pushedDigest = AMD, driver = 'docker'): Run {
  const t = testRunner();
  const commands: Run['commands'] = [];
  const clock = new ManualClock();
  const deps: ImageDeps = {
    ecr: new ECRClient({ region: 'eu-west-1' }),
    runner: t.runner,
    commands: async (argv, options) => {
      commands.push({ argv: [...argv], options });
      if (argv.join(' ') === 'docker buildx inspect') return { stdout: `Name:          default\nDriver:        ${driver}\nLast Activity: 2026-12-01 21:00:00 +0000 UTC\n` };
      if (argv.includes('--push')) {
        const tags = argv.flatMap((a, i) => (argv[i - 1] === '--tag' ? [a.slice(a.lastIndexOf(':') + 1)] : []));
        try {
          tags.forEach((tag) => fake.push(tag, pushedDigest));
        } catch (e) {
          throw new ActionError(`'docker buildx' exited with code 1:\nERROR: failed to push ${HOST}/flask-app:${tags[0]}: ${(e as Error).message}`);
        }
      }
      if (argv.includes('--metadata-file')) writeFileSync(argv[argv.indexOf('--metadata-file') + 1], JSON.stringify({ 'containerimage.digest': pushedDigest }));
      return { stdout: '' };
    },
    workDir: dir,
    env: { ACTIONS_RUNTIME_TOKEN: 'runtime-token', ACTIONS_RESULTS_URL: 'https://results-receiver.actions.githubusercontent.com/' },
    clock,
    sleep: clock.sleep,
    random: () => 0,
  };
  const run = { t, commands, deps };
  runs.push(run);
  return run;
}

function useEcr(options: FakeEcrOptions): void {
  ecr?.restore();
  fake = new FakeEcr({ password: PASSWORD, proxyEndpoint: `https://${HOST}`, ...options });
  ecr = fake.mock();
  fake.scanAnswers(AMD, basicComplete([{ name: 'CVE-2024-7', severity: 'MEDIUM' }]));
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'slipway-image-'));
  useEcr(SCAN_ON_PUSH_ALL);
});

afterEach(() => {
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
    // cache: none (the default) asks nothing of buildx and writes no cache anywhere, least of all a tag in the immutable repository.
    expect(r.commands.map((c) => c.argv.slice(0, 3).join(' '))).toEqual(['docker login --username', 'docker buildx build']);
    expect(r.commands[1].argv.join(' ')).not.toMatch(/cache/);
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
    fake.scanAnswers(AMD, {
      imageScanStatus: { status: 'COMPLETE' },
      imageScanFindings: {
        imageScanCompletedAt: 1_718_530_000,
        findingSeverityCounts: { CRITICAL: 1, HIGH: 1 },
        findings: [{ name: 'CVE-2024-1', severity: 'CRITICAL', attributes: [{ key: 'package_name', value: 'openssl' }] }, { name: 'CVE-2024-2', severity: 'HIGH' }],
      },
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
    fake.scanAnswers(ARM, basicComplete([{ name: 'CVE-2024-7', severity: 'MEDIUM' }]));
    const r = setup(INDEX);
    await publishImage({ ...INPUTS, platforms: ['linux/amd64', 'linux/arm64'] }, r.deps);
    expect(ecr.commandCalls(DescribeImageScanFindingsCommand).map((c) => c.args[0].input.imageId?.imageDigest)).toEqual([AMD, ARM]);
    expect(r.t.outputs().digest).toBe(INDEX);
    expect(r.t.outputs()['findings-medium']).toBe('2');
  });

  test('a tag that ECR resolves to another digest fails closed', async () => {
    ecr.on(BatchGetImageCommand).resolves({
      images: [{ imageId: { imageDigest: AMD, imageTag: 'abc' }, imageManifest: '{"schemaVersion":2}', imageManifestMediaType: 'application/vnd.oci.image.manifest.v1+json' }],
    });
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

describe('publishImage: build cache', () => {
  test("cache gha on the hosted runner's default docker driver: a warning, and a build with no cache flags", async () => {
    const r = setup(AMD, 'docker');
    await publishImage({ ...INPUTS, cache: 'gha' }, r.deps);
    expect(r.commands.map((c) => c.argv.slice(0, 3).join(' '))).toEqual(['docker login --username', 'docker buildx inspect', 'docker buildx build']);
    const build = r.commands[2].argv;
    expect(build.filter((a) => a.startsWith('--cache'))).toEqual([]);
    expect(build.join(' ')).not.toContain('buildcache');
    expect(r.t.log()).toContain("::warning::cache 'gha' skipped: the buildx builder uses the 'docker' driver, which cannot export a cache; set one up with docker/setup-buildx-action");
    expect(r.t.outputs().digest).toBe(AMD);
  });

  test.each(['docker-container', 'kubernetes', 'remote'])('cache gha with the %s driver: the GitHub Actions cache, scoped to the repository', async (driver) => {
    const r = setup(AMD, driver);
    await publishImage({ ...INPUTS, cache: 'gha' }, r.deps);
    const build = r.commands[2].argv;
    expect(build.slice(build.indexOf('--cache-from'), build.indexOf('--cache-from') + 4)).toEqual(['--cache-from', 'type=gha,scope=flask-app', '--cache-to', 'type=gha,mode=max,scope=flask-app']);
    expect(r.t.log()).not.toContain('::warning::');
  });

  test('buildah ignores cache gha with a notice', async () => {
    const r = setup();
    await publishImage({ ...INPUTS, builder: 'buildah', cache: 'gha' }, {
      ...r.deps,
      commands: async (argv, options) => {
        if (argv[1] === 'push') writeFileSync(argv[argv.indexOf('--digestfile') + 1], AMD);
        if (argv[1] === 'push') fake.push('abc', AMD);
        return r.deps.commands(argv, options);
      },
    });
    expect(r.t.log()).toContain("::notice::cache 'gha' is for docker buildx; buildah builds without it");
    expect(r.commands.some((c) => c.argv.join(' ').includes('inspect'))).toBe(false);
  });
});

describe('publishImage: a tag that already exists in the immutable repository', () => {
  test('a re-run for a commit already pushed: no build, the existing digest reported, and the gate still runs on it (and fails)', async () => {
    fake.push('abc', ARM);
    fake.scanAnswers(ARM, basicComplete([{ name: 'CVE-2024-9', severity: 'CRITICAL' }]));
    const r = setup();
    await expect(publishImage(INPUTS, r.deps)).rejects.toThrow(`${HOST}/flask-app:abc has 1 finding(s) at or above HIGH: CVE-2024-9 (CRITICAL)`);
    expect(r.commands.map((c) => c.argv[1])).toEqual(['login']);
    expect(r.t.outputs()).toMatchObject({ 'image-uri': `${HOST}/flask-app:abc`, 'digest': ARM, 'findings-critical': '1' });
    expect(r.t.log()).toContain(`::notice::flask-app:abc already exists in the immutable repository as ${ARM}; reusing it`);
    expect(ecr.commandCalls(DescribeImageScanFindingsCommand).map((c) => c.args[0].input.imageId?.imageDigest)).toEqual([ARM]);
  });

  test('another run pushes the tag while this one builds: ImageTagAlreadyExists on push, then its digest is reused and gated', async () => {
    fake.scanAnswers(ARM, basicComplete());
    const r = setup(AMD);
    const result = await publishImage(INPUTS, {
      ...r.deps,
      commands: async (argv, options) => {
        if (argv.includes('--push')) fake.push('abc', ARM);
        return r.deps.commands(argv, options);
      },
    });
    expect(result).toMatchObject({ digest: ARM });
    expect(r.t.outputs().digest).toBe(ARM);
    expect(ecr.commandCalls(DescribeImageScanFindingsCommand).map((c) => c.args[0].input.imageId?.imageDigest)).toEqual([ARM]);
    expect(r.t.log()).toContain('reusing it instead of pushing again');
  });

  test('a mutable repository is pushed to as usual, whatever the tag held', async () => {
    useEcr({ ...SCAN_ON_PUSH_ALL, mutability: 'MUTABLE' });
    fake.push('abc', ARM);
    const r = setup(AMD);
    await publishImage(INPUTS, r.deps);
    expect(r.commands.map((c) => c.argv[1])).toEqual(['login', 'buildx']);
    expect(r.t.outputs().digest).toBe(AMD);
  });

  test('some tags present and others not cannot name one image: a clear failure before building', async () => {
    fake.push('abc', ARM);
    const r = setup();
    await expect(publishImage({ ...INPUTS, tags: ['abc', 'v2'] }, r.deps)).rejects.toThrow(
      `repository 'flask-app' is immutable and already has abc → ${ARM}, but not v2: these tags cannot all name one image.`,
    );
    expect(r.commands.map((c) => c.argv[1])).toEqual(['login']);
  });
});

describe('publishImage: whether anything will scan the image', () => {
  test('basic scanning, scan on push off, no registry rule: fails at once, before building, saying what to turn on', async () => {
    useEcr({ registryScanning: { scanType: 'BASIC', rules: [] }, scanOnPush: false });
    const r = setup();
    await expect(publishImage(INPUTS, r.deps)).rejects.toThrow(
      "the scan gate (threshold HIGH) cannot pass: nothing will scan images in 'flask-app': the registry uses basic scanning with no SCAN_ON_PUSH rule matching it, and scan on push is off for the repository. Turn on scan on push for 'flask-app'",
    );
    expect(r.commands.map((c) => c.argv[1])).toEqual(['login']);
    expect(ecr.commandCalls(DescribeImageScanFindingsCommand)).toHaveLength(0);
  });

  test('enhanced scanning with no rule matching the repository fails at once too', async () => {
    useEcr({ registryScanning: { scanType: 'ENHANCED', rules: [{ scanFrequency: 'CONTINUOUS_SCAN', repositoryFilters: [{ filter: 'other-*', filterType: 'WILDCARD' }] }] } });
    await expect(publishImage(INPUTS, setup().deps)).rejects.toThrow("no SCAN_ON_PUSH or CONTINUOUS_SCAN rule has a filter matching it. Add a filter matching 'flask-app' to a rule");
  });

  test('enhanced scanning (aws/aws-sdk#289): COMPLETE with findings: [] is waited on, and the CRITICAL finding that arrives later fails the gate', async () => {
    useEcr({ registryScanning: { scanType: 'ENHANCED', rules: [{ scanFrequency: 'SCAN_ON_PUSH', repositoryFilters: [{ filter: 'flask', filterType: 'WILDCARD' }] }] } });
    fake.scanAnswers(AMD, ENHANCED_PENDING, ENHANCED_COMPLETE_BEFORE_FINDINGS, ENHANCED_COMPLETE_BEFORE_FINDINGS, enhancedWithCritical('COMPLETE'));
    const r = setup();
    await expect(publishImage(INPUTS, r.deps)).rejects.toThrow(`${HOST}/flask-app:abc has 1 finding(s) at or above HIGH: CVE-2024-6387 (CRITICAL, openssh-server 1:9.2p1-2)`);
    expect(ecr.commandCalls(DescribeImageScanFindingsCommand)).toHaveLength(4);
    expect(r.t.log()).toContain("the image will be scanned by enhanced scanning, registry rule SCAN_ON_PUSH with filter 'flask'");
  });

  test('without permission to read the registry scanning configuration: a warning, and the gate waits (never passes on a guess)', async () => {
    ecr.on(GetRegistryScanningConfigurationCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));
    fake.scanAnswers(AMD, ENHANCED_COMPLETE_BEFORE_FINDINGS);
    const r = setup();
    await expect(publishImage(INPUTS, r.deps)).rejects.toThrow('ECR said COMPLETE but no results arrived');
    expect(r.t.log()).toContain('::warning::cannot read the registry scanning configuration (AccessDeniedException); grant ecr:GetRegistryScanningConfiguration');
  });
});

describe('publishImage: untrusted build output', () => {
  test('a RUN step that prints workflow commands has them logged, never run: no mask, no output, no annotation from the build', async () => {
    const r = setup();
    await publishImage(INPUTS, {
      ...r.deps,
      commands: async (argv, options) => {
        // As spawnCommands passes the build's output to the log, line by line.
        const printed = ['#7 [2/3] RUN ./print-things.sh', '::add-mask::sha256', '::error::pwned', `::${'x'.repeat(36)}::`, '::set-output name=digest::sha256:evil'];
        if (argv[1] === 'buildx') printed.forEach((l) => r.t.runner.info(l));
        return r.deps.commands(argv, options);
      },
    });
    const ran = commandsTheRunnerRuns(r.t.log());
    expect(ran.filter((c) => c.message === 'pwned' || c.message === 'sha256' || c.name === 'set-output')).toEqual([]);
    // Our own commands before and after the build still run.
    expect(ran.map((c) => c.name)).toEqual(expect.arrayContaining(['add-mask']));
    expect(r.t.log()).toMatch(/::stop-commands::[0-9a-f-]{36}\n[\s\S]*::error::pwned[\s\S]*::[0-9a-f-]{36}::\n/);
    expect(r.t.outputs().digest).toBe(AMD);
  });

  test('a failing build still resumes workflow commands, so the failure annotation is seen', async () => {
    const r = setup();
    const failing = async (argv: readonly string[], options?: CommandOptions): Promise<{ stdout: string }> => {
      if (argv[1] === 'buildx') throw new ActionError("'docker buildx' exited with code 1:\nERROR: failed to solve");
      return r.deps.commands(argv, options);
    };
    await expect(publishImage(INPUTS, { ...r.deps, commands: failing })).rejects.toThrow('failed to solve');
    r.t.runner.setFailed('failed to solve');
    expect(commandsTheRunnerRuns(r.t.log()).at(-1)).toEqual({ name: 'error', message: 'failed to solve' });
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
