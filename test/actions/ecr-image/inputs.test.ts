import { readFileSync } from 'fs';
import { join } from 'path';
import { parse } from 'yaml';
import { readImageInputs } from '../../../actions/ecr-image/src/inputs';
import { Inputs } from '../../../actions/shared/inputs';
import { testRunner } from '../support/runner';

const SHA = '0123456789abcdef0123456789abcdef01234567';

function read(values: Record<string, string>): { result?: ReturnType<typeof readImageInputs>; error?: Error; log: string } {
  const t = testRunner(values);
  try {
    return { result: readImageInputs(new Inputs(t.runner), { GITHUB_SHA: SHA }), log: t.log() };
  } catch (e) {
    return { error: e as Error, log: t.log() };
  } finally {
    t.cleanup();
  }
}

describe('ecr-image inputs', () => {
  test('defaults: docker, push, ECR, HIGH gate, the commit SHA as tag', () => {
    expect(read({ repository: 'flask-app' }).result).toEqual({
      repository: 'flask-app',
      context: '.',
      dockerfile: './Dockerfile',
      tags: [SHA],
      buildArgs: [],
      platforms: [],
      builder: 'docker',
      cache: 'none',
      push: true,
      registry: 'ecr',
      credentials: undefined,
      threshold: 'HIGH',
      scanTimeoutMinutes: 30,
      ignoreCves: new Set(),
    });
  });

  test('multiline tags, build-args, platforms and ignore-cves', () => {
    const r = read({
      'repository': 'my-org/flask-app',
      'context': 'app/',
      'tags': 'v1\nlatest\nv1',
      'build-args': 'PYTHON=3.12\nDEBUG=0',
      'platforms': 'linux/amd64, linux/arm64\nlinux/arm/v7',
      'ignore-cves': 'cve-2024-1\nGHSA-xxxx-yyyy-zzzz',
    }).result!;
    expect(r.dockerfile).toBe('app/Dockerfile');
    expect(r.tags).toEqual(['v1', 'latest']);
    expect(r.buildArgs).toEqual([{ name: 'PYTHON', value: '3.12' }, { name: 'DEBUG', value: '0' }]);
    expect(r.platforms).toEqual(['linux/amd64', 'linux/arm64', 'linux/arm/v7']);
    expect([...r.ignoreCves]).toEqual(['CVE-2024-1', 'GHSA-XXXX-YYYY-ZZZZ']);
  });

  test('Docker Hub: credentials required, password masked first, gate off by default', () => {
    const ok = read({ 'repository': 'org/app', 'registry': 'dockerhub', 'registry-username': 'bot', 'registry-password': 'dckr_pat_123' });
    expect(ok.result).toMatchObject({ registry: 'dockerhub', credentials: { username: 'bot', password: 'dckr_pat_123' }, threshold: 'NONE' });
    expect(ok.log).toBe('::add-mask::dckr_pat_123\n');
    expect(read({ 'repository': 'org/app', 'registry': 'dockerhub', 'registry-password': 'p' }).error?.message).toContain("input 'registry-username' is required");
    expect(read({ 'repository': 'org/app', 'registry': 'dockerhub', 'registry-username': 'bot' }).error?.message).toContain("input 'registry-password' is required");
  });

  test('a scan threshold other than NONE with Docker Hub is an input error, never a silent pass', () => {
    const r = read({ 'repository': 'org/app', 'registry': 'dockerhub', 'registry-username': 'bot', 'registry-password': 'secret-pw', 'scan-severity-threshold': 'HIGH' });
    expect(r.error?.message).toBe(
      "input 'scan-severity-threshold' is HIGH, but Docker Hub images are not scanned by this action. Set 'scan-severity-threshold: NONE' with 'registry: dockerhub', or push to ECR.",
    );
    // Masked even though the inputs were rejected.
    expect(r.log).toContain('::add-mask::secret-pw');
    expect(read({ 'repository': 'org/app', 'registry': 'dockerhub', 'registry-username': 'b', 'registry-password': 'p', 'scan-severity-threshold': 'NONE' }).result?.threshold).toBe('NONE');
  });

  test('an explicit threshold with push: false is an input error; the default just turns the gate off', () => {
    expect(read({ 'repository': 'a', 'push': 'false', 'scan-severity-threshold': 'CRITICAL' }).error?.message).toContain("but 'push' is false");
    expect(read({ repository: 'a', push: 'false' }).result?.threshold).toBe('NONE');
  });

  test('bad values name the input and the value', () => {
    expect(read({}).error?.message).toContain("input 'repository' is required");
    expect(read({ repository: 'Flask_App!' }).error?.message).toBe("input 'repository' must be a lowercase repository name such as 'my-service' or 'my-org/my-service'; got 'Flask_App!'.");
    expect(read({ repository: 'a', tags: '-bad' }).error?.message).toContain("input 'tags' has '-bad', which is not a valid image tag");
    expect(read({ repository: 'a', builder: 'kaniko' }).error?.message).toBe("input 'builder' must be one of 'docker', 'buildah'; got 'kaniko'.");
    expect(read({ 'repository': 'a', 'scan-severity-threshold': 'high' }).error?.message).toContain("Did you mean 'HIGH'?");
    expect(read({ repository: 'a', platforms: 'amd64' }).error?.message).toContain("input 'platforms' has 'amd64'; write os/arch[/variant]");
    expect(read({ 'repository': 'a', 'ignore-cves': 'CVE 1' }).error?.message).toContain("input 'ignore-cves' has 'CVE 1'");
    expect(read({ 'repository': 'a', 'registry-password': 'p' }).error?.message).toContain("are for 'registry: dockerhub'");
    expect(read({ 'repository': 'a', 'scan-timeout-minutes': '0' }).error?.message).toContain("input 'scan-timeout-minutes' must be between 1 and 360");
    expect(read({ repository: 'a', cache: 'registry' }).error?.message).toBe("input 'cache' must be one of 'none', 'gha'; got 'registry'.");
  });

  test("action.yml's defaults are the ones the action applies when an input is absent", () => {
    const yml = parse(readFileSync(join(__dirname, '../../../actions/ecr-image/action.yml'), 'utf8')) as { inputs: Record<string, { default?: string }> };
    const defaults = Object.entries(yml.inputs).filter(([, i]) => i.default !== undefined);
    expect(Object.fromEntries(defaults.map(([name, i]) => [name, i.default]))).toEqual({ 'context': '.', 'builder': 'docker', 'cache': 'none', 'push': 'true', 'registry': 'ecr', 'scan-timeout-minutes': '30' });
    const withDefaults = read({ repository: 'a', ...Object.fromEntries(defaults.map(([name, i]) => [name, String(i.default)])) }).result;
    expect(withDefaults).toEqual(read({ repository: 'a' }).result);
  });

  test('no tags and no GITHUB_SHA is an error', () => {
    const t = testRunner({ repository: 'a' });
    try {
      expect(() => readImageInputs(new Inputs(t.runner), {})).toThrow("input 'tags' is empty and GITHUB_SHA is not set");
    } finally {
      t.cleanup();
    }
  });
});
