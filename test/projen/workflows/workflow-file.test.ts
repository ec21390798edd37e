import { orderTopLevelKeys } from '../../../src/projen/workflows/workflow-file';

describe('orderTopLevelKeys', () => {
  test('moves permissions up next to on and keeps the header and the trailing newline', () => {
    const text = ['# generated', '', 'name: x', 'on:', '  push: {}', 'jobs:', '  a:', '    steps: []', 'permissions:', '  contents: read', ''].join('\n');
    expect(orderTopLevelKeys(text)).toBe(
      ['# generated', '', 'name: x', 'on:', '  push: {}', 'permissions:', '  contents: read', 'jobs:', '  a:', '    steps: []', ''].join('\n'),
    );
  });

  test('keys it does not know keep their relative order after the known ones', () => {
    const text = ['zeta: 1', 'jobs: {}', 'alpha: 2', 'name: n'].join('\n');
    expect(orderTopLevelKeys(text)).toBe(['name: n', 'jobs: {}', 'zeta: 1', 'alpha: 2'].join('\n'));
  });

  test('nested keys that look like top-level ones stay in their block', () => {
    const text = ['jobs:', '  permissions:', '    contents: read', 'name: n', ''].join('\n');
    expect(orderTopLevelKeys(text)).toBe(['name: n', 'jobs:', '  permissions:', '    contents: read', ''].join('\n'));
  });
});
