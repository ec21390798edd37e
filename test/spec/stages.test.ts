/**
 * Validation across stages (issue 15): every problem at once, each naming the stage (or both stages)
 * and the offending values; a stage's own values checked exactly like a single stage's.
 */
import { seedOptions } from './fixtures';
import { SpecValidationError, normaliseEstate, selectStage } from '../../src/spec';

const CERTIFICATE = 'arn:aws:acm:eu-west-1:123456789012:certificate/abc';
const STAGING_NETWORK = {
  cidr: '172.20.0.0/16',
  publicSubnets: ['172.20.0.0/24', '172.20.1.0/24'],
  privateSubnets: ['172.20.2.0/24', '172.20.3.0/24'],
};

/** The seed with these stages (and any other service-level options). */
function withStages(stages: unknown[], extra: Record<string, unknown> = {}): unknown {
  return { ...seedOptions(), ...extra, stages };
}

/** The estate validator's problems for options it must reject, as `path: message` lines. */
function estateProblems(input: unknown): string[] {
  try {
    normaliseEstate(input);
  } catch (e) {
    if (e instanceof SpecValidationError) return e.problems.map((p) => `${p.path}: ${p.message}`);
    throw e;
  }
  throw new Error('expected the options to be rejected');
}

describe('stages: accepted', () => {
  test('staging then production, each with its own network, resolve in order with their place on the path', () => {
    const estate = normaliseEstate(withStages([{ name: 'staging', network: STAGING_NETWORK }, { name: 'production' }]));
    expect(estate.stages.map((s) => [s.stage.name, s.stage.index, s.stage.previous, s.stage.next, s.network.cidr])).toEqual([
      ['staging', 0, undefined, 'production', '172.20.0.0/16'],
      ['production', 1, 'staging', undefined, '192.168.0.0/16'],
    ]);
    expect(estate.stages.map((s) => s.names.vpc)).toEqual(['vpc-flask-app-staging', 'vpc-flask-app-production']);
    expect(estate.imageRepository).toMatchObject({ name: 'flask-app', ownerStage: 'staging', region: 'eu-west-1', pullAccounts: [] });
  });

  test('the same CIDR in two regions, or in two accounts, is not an overlap', () => {
    const regions = normaliseEstate(withStages([{ name: 'staging', region: 'eu-west-2' }, { name: 'production' }]));
    expect(regions.stages.map((s) => [s.region, s.network.cidr])).toEqual([['eu-west-2', '192.168.0.0/16'], ['eu-west-1', '192.168.0.0/16']]);
    const accounts = normaliseEstate(withStages([{ name: 'staging', account: '111111111111' }, { name: 'production', account: '222222222222' }]));
    expect(accounts.stages.map((s) => s.account)).toEqual(['111111111111', '222222222222']);
    expect(accounts.imageRepository).toMatchObject({ account: '111111111111', pullAccounts: ['222222222222'] });
  });

  test('a protected stage before an unprotected one is accepted when promotesToUnprotected says it is meant', () => {
    const estate = normaliseEstate(withStages([
      { name: 'staging', protected: true, promotesToUnprotected: true, network: STAGING_NETWORK, container: { certificateArn: CERTIFICATE } },
      { name: 'production' },
    ]));
    expect(estate.stages.map((s) => [s.environment, s.protectedEnvironment])).toEqual([['staging', true], ['production', false]]);
  });

  test('an unprotected stage before a protected one needs nothing more', () => {
    const estate = normaliseEstate(withStages([
      { name: 'staging', network: STAGING_NETWORK },
      { name: 'production', protected: true, container: { certificateArn: CERTIFICATE } },
    ]));
    expect(estate.stages.map((s) => s.protectedEnvironment)).toEqual([false, true]);
  });
});

describe('stages: rejected, naming the stages and the values', () => {
  test('two stages with one name: both stages named', () => {
    expect(estateProblems(withStages([{ name: 'staging', network: STAGING_NETWORK }, { name: 'staging' }]))).toContainEqual(
      expect.stringMatching(/^service\.stages\[1\]\.name: 'staging' is also the name of service\.stages\[0\]; every stage needs its own name/),
    );
  });

  test('overlapping CIDRs in one account and region: both stages and both CIDRs in the message', () => {
    const [problem, ...rest] = estateProblems(withStages([
      { name: 'staging', network: { ...STAGING_NETWORK, cidr: '192.168.0.0/16', publicSubnets: ['192.168.0.0/24', '192.168.1.0/24'], privateSubnets: ['192.168.2.0/24', '192.168.3.0/24'] } },
      { name: 'production' },
    ]));
    expect(rest).toEqual([]);
    expect(problem).toMatch(/^service\.network\.cidr: stage 'production' network 192\.168\.0\.0\/16 overlaps stage 'staging' network 192\.168\.0\.0\/16 in region eu-west-1/);
    expect(problem).toContain('e.g. 192.169.0.0/16');
  });

  test('a partial overlap written by the later stage is reported at that stage, with the account when pinned', () => {
    const [problem] = estateProblems(withStages([
      { name: 'staging', account: '111111111111' },
      { name: 'production', account: '111111111111', network: { cidr: '192.168.0.0/20', publicSubnets: ['192.168.0.0/24', '192.168.1.0/24'], privateSubnets: ['192.168.2.0/24', '192.168.3.0/24'] } },
    ]));
    expect(problem).toMatch(/^service\.stages\[1\]\.network\.cidr: stage 'production' network 192\.168\.0\.0\/20 overlaps stage 'staging' network 192\.168\.0\.0\/16 in account 111111111111 and region eu-west-1/);
  });

  test('a protected stage before an unprotected one: an error that names both and the way to say it is meant', () => {
    expect(estateProblems(withStages([
      { name: 'staging', protected: true, network: STAGING_NETWORK, container: { certificateArn: CERTIFICATE } },
      { name: 'production' },
    ]))).toEqual([
      expect.stringMatching(/^service\.stages\[0\]\.protected: 'staging' is protected but promotes to 'production', which is not: .*promotesToUnprotected: true on 'staging'/),
    ]);
  });

  test('an override naming an option a stage cannot set, or one that does not exist', () => {
    const problems = estateProblems(withStages([{ name: 'staging', network: STAGING_NETWORK, container: { port: 9000 }, hostz: { count: 1 } }, { name: 'production' }]));
    expect(problems).toContainEqual(expect.stringMatching(/^service\.stages\[0\]\.container\.port: a stage cannot set 'port' \(value 9000\): .*set it in service\.container; a stage's container may set: cpu, /));
    expect(problems).toContainEqual(expect.stringMatching(/^service\.stages\[0\]\.hostz: /));
    expect(problems.find((p) => p.startsWith('service.stages[0].hostz'))).toContain('hosts');
  });

  test("a stage's own value is checked like a single one and reported where the stage wrote it", () => {
    const problems = estateProblems(withStages([{ name: 'staging', network: STAGING_NETWORK, hosts: { count: 99 } }, { name: 'production' }]));
    expect(problems).toEqual([expect.stringMatching(/^service\.stages\[0\]\.hosts\.count: .*99/)]);
  });

  test('a bad service-level value every stage inherits is reported once, at the service', () => {
    const problems = estateProblems(withStages(
      [{ name: 'staging', network: STAGING_NETWORK }, { name: 'production' }],
      { network: { ...seedOptions().network, flowLogRetentionDays: 8 } },
    ));
    expect(problems).toEqual([expect.stringMatching(/^service\.network\.flowLogRetentionDays: .*8/)]);
  });

  test('a bad service-level value only some stages inherit says which', () => {
    const problems = estateProblems(withStages(
      [{ name: 'staging', network: { ...STAGING_NETWORK, flowLogRetentionDays: 30 } }, { name: 'production' }],
      { network: { ...seedOptions().network, flowLogRetentionDays: 8 } },
    ));
    expect(problems).toEqual([expect.stringMatching(/^service\.network\.flowLogRetentionDays: in stage 'production': .*8/)]);
  });

  test('stages together with environment or protectedEnvironment: both reported, with their values', () => {
    const problems = estateProblems(withStages([{ name: 'production' }], { environment: 'prod', protectedEnvironment: false }));
    expect(problems).toContainEqual(expect.stringMatching(/^service\.environment: is set together with stages; .*remove environment \(value 'prod'\)/));
    expect(problems).toContainEqual(expect.stringMatching(/^service\.protectedEnvironment: is set together with stages; .*remove protectedEnvironment \(value false\)/));
  });

  test('an empty list of stages says what to write instead', () => {
    expect(estateProblems(withStages([]))).toEqual([
      expect.stringMatching(/^service\.stages: is empty; list at least one stage, e\.g\. stages: \[\{ name: 'production' \}\]/),
    ]);
  });

  test('accounts pinned on some stages only: the pinned and the unpinned named', () => {
    expect(estateProblems(withStages([{ name: 'staging', account: '111111111111', network: STAGING_NETWORK }, { name: 'production' }]))).toEqual([
      expect.stringMatching(/^service\.stages: stage 'staging' \(111111111111\) pins an account but 'production' does not/),
    ]);
  });

  test('a stage name too long for the names derived from it, per stage', () => {
    const problems = estateProblems(withStages([{ name: 'staging', network: STAGING_NETWORK }, { name: 'production-eu-west-a' }], { serviceName: 'orders-api-eu' }));
    expect(problems).toEqual([expect.stringMatching(/^service\.stages\[1\]\.name: service 'orders-api-eu' with stage 'production-eu-west-a' is too long .*limit.*at most 7 characters with this stage/)]);
  });

  test('a stage name that is not a DNS label, or missing', () => {
    const problems = estateProblems(withStages([{ name: 'Staging_1', network: STAGING_NETWORK }, { network: STAGING_NETWORK }]));
    expect(problems).toContainEqual(expect.stringMatching(/^service\.stages\[0\]\.name: .*'Staging_1'/));
    expect(problems).toContainEqual(expect.stringMatching(/^service\.stages\[1\]\.name: is required but not set/));
  });

  test('every problem of every stage at once', () => {
    const problems = estateProblems(withStages([
      { name: 'staging', hosts: { count: 99 }, container: { port: 1 } },
      { name: 'staging', account: '111111111111' },
      { name: 'qa', protected: true, container: { certificateArn: CERTIFICATE } },
      { name: 'production' },
    ], { environment: 'production' }));
    const paths = problems.map((p) => p.split(':')[0]);
    expect(paths).toEqual(expect.arrayContaining([
      'service.environment',
      'service.stages[0].container.port',
      'service.stages[0].hosts.count',
      'service.stages[1].name',
      'service.stages',
      'service.network.cidr',
      'service.stages[2].protected',
    ]));
    // staging has a bad hosts.count, yet its network is still compared with the others in this same run.
    expect(problems).toContainEqual(expect.stringMatching(/^service\.network\.cidr: stage 'qa' network 192\.168\.0\.0\/16 overlaps stage 'staging' network/));
    expect(problems).toContainEqual(expect.stringMatching(/^service\.network\.cidr: stage 'production' network 192\.168\.0\.0\/16 overlaps stage 'qa' network/));
  });
});

describe('selectStage: one stage at a time, for the tools that act on one', () => {
  const estate = normaliseEstate(withStages([{ name: 'staging', network: STAGING_NETWORK }, { name: 'production' }]));

  test('by name; the only stage needs none', () => {
    expect(selectStage(estate, 'production').names.vpc).toBe('vpc-flask-app-production');
    expect(selectStage(normaliseEstate(seedOptions()), undefined).environment).toBe('production');
  });

  test('several stages and no name, or an unknown name, lists the stages to choose from', () => {
    expect(() => selectStage(estate, undefined)).toThrow('flask-app has 2 stages (staging, production); say which with --stage <staging|production>');
    expect(() => selectStage(estate, 'prod')).toThrow("'prod' is not a stage of flask-app; use --stage with one of: staging, production");
  });
});
