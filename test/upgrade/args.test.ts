import { parseReleaseArgs, parseUpgradeArgs } from '../../src/upgrade/args';
import { nextVersion } from '../../src/upgrade/release';

test('upgrade arguments: both forms of each flag, defaults, and --no-checks', () => {
  expect(parseUpgradeArgs([])).toEqual({ checks: true, ifStamped: false });
  expect(parseUpgradeArgs(['--source', '/t', '--ref=v2.0.0', '--summary', 'out.md', '--no-checks', '--if-stamped'])).toEqual({
    source: '/t', ref: 'v2.0.0', summaryFile: 'out.md', checks: false, ifStamped: true,
  });
});

test.each([
  [['--ref'], '--ref needs a value'],
  [['--ref', '--source', 'x'], '--ref needs a value'],
  [['--force'], "unknown argument '--force'"],
  [['v2.0.0'], "unknown argument 'v2.0.0'"],
  [['--source=-uevil'], "--source '-uevil' starts with '-'"],
  [['--ref', '-x'], "--ref '-x' starts with '-'"],
])('upgrade %j is refused: %s', (argv, message) => {
  expect(() => parseUpgradeArgs(argv)).toThrow(message);
});

test('release arguments: a version with or without v, or a bump', () => {
  expect(parseReleaseArgs(['1.2.3'])).toEqual({ version: '1.2.3' });
  expect(parseReleaseArgs(['v1.2.3', '--source', 'https://github.com/acme/slipway.git'])).toEqual({ version: '1.2.3', source: 'https://github.com/acme/slipway.git' });
  expect(parseReleaseArgs(['minor'])).toEqual({ version: { bump: 'minor' } });
  expect(() => parseReleaseArgs([])).toThrow('which version?');
  expect(() => parseReleaseArgs(['1.2'])).toThrow("'1.2' is not a version: write X.Y.Z");
});

test('nextVersion: an exact version must be newer; a bump starts from the newest tag', () => {
  expect(nextVersion('1.0.0', undefined)).toEqual({ major: 1, minor: 0, patch: 0 });
  expect(() => nextVersion('1.0.0', 'v1.0.0')).toThrow('not newer than the last release v1.0.0');
  expect(nextVersion({ bump: 'major' }, 'v1.4.2')).toEqual({ major: 2, minor: 0, patch: 0 });
  expect(nextVersion({ bump: 'minor' }, 'v1.4.2')).toEqual({ major: 1, minor: 5, patch: 0 });
  expect(nextVersion({ bump: 'patch' }, undefined)).toEqual({ major: 0, minor: 0, patch: 1 });
});
