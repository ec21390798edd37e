import { checksum, driftFrom, hasDrift, renderDrift } from '../../src/upgrade/checksum';

describe('checksum', () => {
  test('is the sha256 of the bytes', () => {
    expect(checksum(Buffer.from('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  test('a text file reads the same with CRLF or LF line endings', () => {
    expect(checksum(Buffer.from('a\r\nb\r\n'))).toBe(checksum(Buffer.from('a\nb\n')));
  });

  test('a binary file (a NUL byte) is hashed as it is', () => {
    expect(checksum(Buffer.from([0, 13, 10]))).not.toBe(checksum(Buffer.from([0, 10])));
  });

  test('a different text is a different checksum', () => {
    expect(checksum(Buffer.from('a\n'))).not.toBe(checksum(Buffer.from('a \n')));
  });
});

describe('driftFrom', () => {
  const recorded = { 'src/a.ts': '1'.repeat(64), 'src/b.ts': '2'.repeat(64), 'ansible/roles/r/x.yml': '3'.repeat(64) };

  test('the same files are no drift', () => {
    const drift = driftFrom(recorded, new Map(Object.entries(recorded)));
    expect(hasDrift(drift)).toBe(false);
  });

  test('names edited, deleted and added files, sorted', () => {
    const actual = new Map([['src/a.ts', 'f'.repeat(64)], ['ansible/roles/r/x.yml', '3'.repeat(64)], ['src/z.ts', '4'.repeat(64)], ['src/c.ts', '5'.repeat(64)]]);
    expect(driftFrom(recorded, actual)).toEqual({ edited: ['src/a.ts'], deleted: ['src/b.ts'], added: ['src/c.ts', 'src/z.ts'] });
  });
});

test('the message names every file and the two ways out', () => {
  const message = renderDrift({ edited: ['src/a.ts'], deleted: ['actions/x/action.yml'], added: ['test/new.test.ts'] }, 'v1.2.0');
  expect(message).toContain('template v1.2.0');
  expect(message).toContain('  - src/a.ts (edited)');
  expect(message).toContain('  - actions/x/action.yml (deleted)');
  expect(message).toContain('  - test/new.test.ts (added)');
  expect(message).toContain('1. Propose the change to the template repository');
  expect(message).toContain('2. Take the next template version as it is');
});
