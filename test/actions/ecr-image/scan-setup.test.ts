import { CACHE_EXPORTING_DRIVERS, decideCache, parseBuildxDriver } from '../../../actions/ecr-image/src/build-cache';
import { isTagExistsFailure, isTagImmutable } from '../../../actions/ecr-image/src/existing-image';
import { filterMatches, planScanSetup } from '../../../actions/ecr-image/src/scan-setup';

describe('registry scanning filters (ECR: no wildcard = contains, * = any characters of the whole name)', () => {
  test.each([
    ['flask', 'flask-app', true],
    ['app', 'flask-app', true],
    ['orders', 'flask-app', false],
    ['*', 'flask-app', true],
    ['flask-*', 'flask-app', true],
    ['*-app', 'flask-app', true],
    ['app*', 'flask-app', false],
    ['f*k-a*', 'flask-app', true],
    ['team.x*', 'team.x/flask', true],
    ['team.x*', 'teamyx/flask', false],
  ])("filter '%s' on '%s' → %s", (filter, name, expected) => {
    expect(filterMatches(filter, name)).toBe(expected);
  });

  test('scan type and rules decide whether an image will be scanned', () => {
    const rule = (scanFrequency: 'SCAN_ON_PUSH' | 'CONTINUOUS_SCAN' | 'MANUAL', filter = '*') => ({ scanFrequency, repositoryFilters: [{ filter, filterType: 'WILDCARD' as const }] });
    expect(planScanSetup(undefined, 'flask-app', false)).toMatchObject({ kind: 'never', scanType: 'BASIC' });
    expect(planScanSetup(undefined, 'flask-app', true)).toMatchObject({ kind: 'will-scan', scanType: 'BASIC', how: 'basic scanning, scan on push set on the repository' });
    expect(planScanSetup(undefined, 'flask-app', undefined)).toMatchObject({ kind: 'will-scan', how: "basic scanning, the repository's scan on push not known" });
    expect(planScanSetup({ scanType: 'BASIC', rules: [rule('MANUAL')] }, 'flask-app', false)).toMatchObject({ kind: 'never' });
    expect(planScanSetup({ scanType: 'BASIC', rules: [rule('SCAN_ON_PUSH', 'flask')] }, 'flask-app', false)).toMatchObject({ kind: 'will-scan', scanType: 'BASIC' });
    // Enhanced scanning ignores the repository's own scanOnPush: only its rules count.
    expect(planScanSetup({ scanType: 'ENHANCED', rules: [] }, 'flask-app', true)).toMatchObject({ kind: 'never', scanType: 'ENHANCED' });
    expect(planScanSetup({ scanType: 'ENHANCED', rules: [rule('CONTINUOUS_SCAN')] }, 'flask-app', false)).toMatchObject({ kind: 'will-scan', scanType: 'ENHANCED' });
  });
});

describe('immutable tags', () => {
  test('IMMUTABLE, MUTABLE and the *_WITH_EXCLUSION modes with their tag filters', () => {
    expect(isTagImmutable({ imageTagMutability: 'IMMUTABLE' }, 'abc')).toBe(true);
    expect(isTagImmutable({ imageTagMutability: 'MUTABLE' }, 'abc')).toBe(false);
    const except = [{ filterType: 'WILDCARD' as const, filter: 'latest' }, { filterType: 'WILDCARD' as const, filter: 'dev-*' }];
    expect(isTagImmutable({ imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION', imageTagMutabilityExclusionFilters: except }, 'abc')).toBe(true);
    expect(isTagImmutable({ imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION', imageTagMutabilityExclusionFilters: except }, 'latest')).toBe(false);
    expect(isTagImmutable({ imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION', imageTagMutabilityExclusionFilters: except }, 'dev-1')).toBe(false);
    expect(isTagImmutable({ imageTagMutability: 'MUTABLE_WITH_EXCLUSION', imageTagMutabilityExclusionFilters: except }, 'dev-1')).toBe(true);
  });

  test("the builders' words for a refused immutable tag are recognised, other push failures are not", () => {
    expect(isTagExistsFailure(new Error("ERROR: failed to push: tag invalid: The image tag 'abc' already exists in the 'flask-app' repository and cannot be overwritten because the repository is immutable."))).toBe(true);
    expect(isTagExistsFailure(new Error("TAG_INVALID: The image tag 'abc' already exists in the 'p' repository and cannot be overwritten because the tag is immutable."))).toBe(true);
    expect(isTagExistsFailure(new Error('ImageTagAlreadyExistsException: tag exists'))).toBe(true);
    expect(isTagExistsFailure(new Error('denied: requested access to the resource is denied'))).toBe(false);
  });
});

describe('build cache', () => {
  const ENV = { ACTIONS_RUNTIME_TOKEN: 't', ACTIONS_CACHE_URL: 'https://cache/' };
  test("parses the driver from 'docker buildx inspect'", () => {
    expect(parseBuildxDriver('Name:          builder-1\nDriver:        docker-container\nNodes:\n')).toBe('docker-container');
    expect(parseBuildxDriver('Name: default\nDriver: docker\n')).toBe('docker');
    expect(parseBuildxDriver('no such builder')).toBeUndefined();
  });

  test('gha only where the driver can export and the runner gave the cache service', () => {
    for (const driver of CACHE_EXPORTING_DRIVERS) expect(decideCache('gha', 'docker', driver, ENV, 'flask-app')).toEqual({ use: true, scope: 'flask-app' });
    expect(decideCache('gha', 'docker', 'docker', ENV, 'r')).toMatchObject({ use: false, why: expect.stringContaining("the 'docker' driver, which cannot export a cache") });
    expect(decideCache('gha', 'docker', 'docker-container', {}, 'r')).toMatchObject({ use: false, why: expect.stringContaining('ACTIONS_RUNTIME_TOKEN') });
    expect(decideCache('none', 'docker', 'docker-container', ENV, 'r')).toEqual({ use: false });
    expect(decideCache('gha', 'buildah', undefined, ENV, 'r')).toMatchObject({ use: false });
  });
});
