import { entriesBetween, newestReleaseTag, parseChangelog, releaseChangelog } from '../../src/upgrade/changelog';

const v = (major: number, minor: number, patch: number) => ({ major, minor, patch });

test('newestReleaseTag compares versions as numbers and ignores other tags', () => {
  expect(newestReleaseTag(['v1.9.0', 'v1.10.0', 'v1.2.3', 'latest', 'v2.0.0-rc.1'])).toBe('v1.10.0');
  expect(newestReleaseTag(['latest'])).toBeUndefined();
});

describe('releaseChangelog', () => {
  const text = '# Changelog\n\nIntro.\n\n## [Unreleased]\n\n- a fix\n- a feature\n\n## [1.0.0] - 2026-11-01\n\n- first\n';

  test('moves the Unreleased entries under the version and keeps an empty Unreleased on top', () => {
    const out = releaseChangelog(text, v(1, 1, 0), '2026-12-02', ['ignored']);
    expect(out).toBe('# Changelog\n\nIntro.\n\n## [Unreleased]\n\n## [1.1.0] - 2026-12-02\n\n- a fix\n- a feature\n\n## [1.0.0] - 2026-11-01\n\n- first\n');
  });

  test('falls back to the commit subjects when Unreleased is empty, and starts a file that does not exist', () => {
    const out = releaseChangelog(undefined, v(0, 1, 0), '2026-12-02', ['Add X', 'Fix Y']);
    expect(parseChangelog(out).sections).toEqual([{ heading: 'Unreleased', body: '' }, { heading: '0.1.0', date: '2026-12-02', body: '- Add X\n- Fix Y' }]);
  });

  test('refuses a version it already has, and a release with nothing in it', () => {
    expect(() => releaseChangelog(text, v(1, 0, 0), '2026-12-02', [])).toThrow('already has a section for 1.0.0');
    expect(() => releaseChangelog('# Changelog\n\n## [Unreleased]\n', v(1, 0, 0), '2026-12-02', [])).toThrow('nothing to release');
  });
});

test('entriesBetween: the versions after the old one up to the new one, newest first', () => {
  const text = '# C\n\n## [Unreleased]\n\n- next\n\n## [1.2.0] - d3\n\n- c\n\n## [1.1.0] - d2\n\n- b\n\n## [1.0.0] - d1\n\n- a\n';
  expect(entriesBetween(text, 'v1.0.0', 'v1.2.0').map((s) => s.heading)).toEqual(['1.2.0', '1.1.0']);
  expect(entriesBetween(text, null, 'v1.1.0').map((s) => s.heading)).toEqual(['1.1.0', '1.0.0']);
  expect(entriesBetween(text, 'v1.1.0-3-gabcdef', 'v1.2.0-1-g123456').map((s) => s.heading)).toEqual(['1.2.0']);
  expect(() => entriesBetween(text, null, 'main')).toThrow("'main' is not a release version");
});
