/**
 * Generated files never drift from `.projenrc.ts`: regenerating a copy of the
 * repository must reproduce every committed file byte for byte.
 */
import { readFileSync, rmSync } from 'fs';
import { join } from 'path';
import { REPO_ROOT, copyRepo, generatedFiles, regenerate, repoFiles } from '../support/repo-copy';

describe('generated files', () => {
  let copy: string;
  beforeAll(() => {
    copy = copyRepo('drift');
    regenerate(copy);
  }, 120_000);
  afterAll(() => rmSync(copy, { recursive: true, force: true }));

  test('the set of generated files is unchanged', () => {
    expect(generatedFiles(copy)).toEqual(generatedFiles(REPO_ROOT));
  });

  test('every generated file matches what npx projen writes', () => {
    const drifted = generatedFiles(REPO_ROOT).filter((file) => {
      const committed = readFileSync(join(REPO_ROOT, file), 'utf8');
      const fresh = readFileSync(join(copy, file), 'utf8');
      return committed !== fresh;
    });
    // A non-empty list means someone edited a generated file or forgot `npx projen`.
    expect(drifted).toEqual([]);
  });

  test('every generated file is committed (tracked by git)', () => {
    const tracked = new Set(repoFiles(REPO_ROOT, { untracked: false }));
    expect(generatedFiles(REPO_ROOT).filter((f) => !tracked.has(f))).toEqual([]);
  });
});
