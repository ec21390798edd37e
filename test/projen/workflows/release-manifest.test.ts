/**
 * The release manifest's two scripts, run by bash as the runner runs a `run:` step (jq and sha256sum as on
 * GitHub's ubuntu images): the release job's write, then a stage's read, on the same files; and every way the
 * read refuses a release, with the run named and what to do.
 */
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { readReleaseManifestScript, writeReleaseManifestScript } from '../../../src/projen/workflows/release-manifest';

const DIGEST = `sha256:${'ab'.repeat(32)}`;
const SHA = 'c0ffee0123456789abcdef0123456789abcdef01';
const REGISTRY = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
// Each test starts bash (and curl, jq) several times; on a loaded 2-core machine that outlasts jest's 5 s.
jest.setTimeout(30_000);

describe('release manifest scripts', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'slipway-release-'));
    writeFileSync(join(dir, 'cloud-assembly.zip'), 'the assembly of every stage');
    writeFileSync(join(dir, 'summary.md'), '');
    writeFileSync(join(dir, 'output'), '');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function run(script: string, env: Record<string, string>) {
    const file = join(dir, 'step.sh');
    writeFileSync(file, script);
    return spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', file], {
      cwd: dir,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, GITHUB_STEP_SUMMARY: join(dir, 'summary.md'), GITHUB_OUTPUT: join(dir, 'output'), ...env },
    });
  }

  const write = (env: Record<string, string> = {}) => run(writeReleaseManifestScript(), {
    SERVICE: 'flask-app',
    IMAGE_TAG_URI: `${REGISTRY}/flask-app:${SHA}`,
    IMAGE_DIGEST: DIGEST,
    COMMIT_SHA: SHA,
    REF: 'refs/heads/main',
    RUN_ID: '4242',
    RUN_ATTEMPT: '1',
    STAGES: 'staging production',
    ...env,
  });
  const read = (stage: string) => run(readReleaseManifestScript(), { STAGE: stage, SOURCE_RUN: '4242' });
  const manifest = () => JSON.parse(readFileSync(join(dir, 'release-manifest.json'), 'utf8'));

  test('the release job writes the image by digest, the commit, the assembly\'s sha256 and the stages', () => {
    const result = write();
    expect([result.status, result.stderr]).toEqual([0, '']);
    expect(manifest()).toEqual({
      schemaVersion: 1,
      service: 'flask-app',
      image: { uri: `${REGISTRY}/flask-app@${DIGEST}`, tag: `${REGISTRY}/flask-app:${SHA}`, digest: DIGEST },
      commit: SHA,
      ref: 'refs/heads/main',
      run: { id: '4242', attempt: '1' },
      assembly: { artifact: 'cloud-assembly', file: 'cloud-assembly.zip', sha256: createHash('sha256').update('the assembly of every stage').digest('hex') },
      stages: ['staging', 'production'],
    });
    const summary = readFileSync(join(dir, 'summary.md'), 'utf8');
    expect(summary).toContain(`image: \`${REGISTRY}/flask-app@${DIGEST}\``);
    expect(summary).toContain('promoted through: staging → production');
    expect(summary).toContain('run rollback.yml with run id `4242`');
  });

  test('a registry with a port keeps it; only the tag is replaced by the digest', () => {
    expect(write({ IMAGE_TAG_URI: `localhost:5000/team/flask-app:${SHA}` }).status).toBe(0);
    expect(manifest().image.uri).toBe(`localhost:5000/team/flask-app@${DIGEST}`);
  });

  test.each([
    [{ IMAGE_DIGEST: '' }, "::error title=No image digest::the image job's digest output is '', not sha256:<64 hex digits>; re-run the image job"],
    [{ IMAGE_TAG_URI: `${REGISTRY}/flask-app` }, `::error title=No image tag::the image job's image-uri '${REGISTRY}/flask-app' is not <registry>/<repository>:<tag>`],
  ])('the write refuses %j', (env, error) => {
    const result = write(env);
    expect(result.status).toBe(1);
    expect(result.stdout.trim()).toBe(error);
  });

  test('each stage reads the same image, commit and run from it', () => {
    expect(write().status).toBe(0);
    for (const stage of ['staging', 'production']) {
      writeFileSync(join(dir, 'output'), '');
      const result = read(stage);
      expect([stage, result.status, result.stderr]).toEqual([stage, 0, '']);
      expect(readFileSync(join(dir, 'output'), 'utf8')).toBe(`image-uri=${REGISTRY}/flask-app@${DIGEST}\ncommit-sha=${SHA}\nrun-id=4242\n`);
      expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toContain(`Deploying to \`${stage}\` the release of run 4242: commit \`c0ffee012345\`, image \`${REGISTRY}/flask-app@${DIGEST}\``);
    }
  });

  test('an assembly that is not the release\'s is refused, naming both digests', () => {
    expect(write().status).toBe(0);
    writeFileSync(join(dir, 'cloud-assembly.zip'), 'another build');
    const result = read('staging');
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/::error title=Cloud assembly does not match the release::cloud-assembly.zip has sha256 [0-9a-f]{64}; the release manifest of run 4242 says [0-9a-f]{64}: both must come from the same run/);
    expect(readFileSync(join(dir, 'output'), 'utf8')).toBe('');
  });

  test('a stage the build had no stacks for is refused, listing the stages it had', () => {
    expect(write({ STAGES: 'production' }).status).toBe(0);
    const result = read('staging');
    expect(result.status).toBe(1);
    expect(result.stdout.trim()).toBe('::error title=Stage not in this release::run 4242 built no stacks for stage staging (its stages: production): deploy a run built after staging was added');
  });

  test('no manifest, a manifest of another schema, or one naming a tag instead of a digest is refused', () => {
    expect(read('staging').stdout).toContain('::error title=No release manifest::run 4242 has no release-manifest.json (artifact release-manifest)');
    expect(write().status).toBe(0);
    const original = manifest();
    writeFileSync(join(dir, 'release-manifest.json'), JSON.stringify({ ...original, schemaVersion: 2 }));
    expect(read('staging').stdout).toContain('::error title=Unknown release manifest::release-manifest.json of run 4242 has schemaVersion 2; this workflow reads 1');
    writeFileSync(join(dir, 'release-manifest.json'), JSON.stringify({ ...original, image: { ...original.image, uri: original.image.tag } }));
    expect(read('staging').stdout).toContain(`::error title=No image digest::release-manifest.json of run 4242 names image '${REGISTRY}/flask-app:${SHA}', not <repository>@sha256:<digest>`);
    writeFileSync(join(dir, 'release-manifest.json'), '{ not json');
    expect(read('staging').stdout).toContain('::error title=Unreadable release manifest::');
  });
});
