import { PINNED_ACTIONS, commentPinnedVersions, isLocalOrShaPinned, pinnedUses } from '../../../src/projen/workflows';

describe('the pin table', () => {
  test.each(Object.entries(PINNED_ACTIONS))('%s is a full commit SHA with a release version', (_, pin) => {
    expect(pin.sha).toMatch(/^[0-9a-f]{40}$/);
    expect(pin.version).toMatch(/^v\d+\.\d+\.\d+$/);
    expect(pin.action).toMatch(/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/);
  });

  test('pinnedUses writes owner/repo@sha', () => {
    expect(pinnedUses('checkout')).toBe('actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1');
  });
});

describe('isLocalOrShaPinned', () => {
  test.each([
    ['./actions/ecr-image', true],
    ['actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683', true],
    ['github/codeql-action/upload-sarif@5d4e8d1aca955e8d8589aabd499c5cae939e33c7', true],
    ['actions/checkout@v4', false],
    ['actions/checkout@11bd719', false],
    ['actions/checkout@main', false],
    ['actions/checkout', false],
    ['docker://alpine:3.20', false],
    ['actions/checkout@11BD71901BBE5B1630CEEA73D27597364C9AF683', false],
  ])('%s → %s', (uses, ok) => {
    expect(isLocalOrShaPinned(uses)).toBe(ok);
  });
});

describe('commentPinnedVersions', () => {
  const pins = [{ action: 'actions/checkout', sha: 'a'.repeat(40), version: 'v4.2.2' }];

  test('adds the version after a pinned uses, in list and mapping form', () => {
    const text = ['steps:', `  - uses: actions/checkout@${'a'.repeat(40)}`, '    with:', `    uses: actions/checkout@${'a'.repeat(40)}`].join('\n');
    expect(commentPinnedVersions(text, pins).split('\n')).toEqual([
      'steps:',
      `  - uses: actions/checkout@${'a'.repeat(40)} # v4.2.2`,
      '    with:',
      `    uses: actions/checkout@${'a'.repeat(40)} # v4.2.2`,
    ]);
  });

  test('leaves local actions, other SHAs and other keys alone', () => {
    const text = ['uses: ./actions/ecr-image', `uses: actions/checkout@${'b'.repeat(40)}`, `run: echo actions/checkout@${'a'.repeat(40)}`].join('\n');
    expect(commentPinnedVersions(text, pins)).toBe(text);
  });
});
