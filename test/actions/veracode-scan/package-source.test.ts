import { execFileSync } from 'child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join } from 'path';
import { unzipSync } from 'fflate';
import { isPackaged, listPackagedFiles, packageSourceDirectory } from '../../../actions/veracode-scan/src/package-source';
import { describeWithTools } from '../../support/real-tools';

const TREE: Record<string, string> = {
  'package.json': '{"name":"svc"}',
  'package-lock.json': '{}',
  'src/index.ts': 'export const a = 1;',
  'src/spec/options.ts': 'export const b = 2;',
  'src/view.tsx': 'export {}',
  'src/legacy.js': 'module.exports = 1;',
  'src/page.html': '<p>x</p>',
  'src/app.test.ts': 'test',
  'src/app.spec.js': 'test',
  'src/types.d.ts': 'declare const x: number;',
  'public/vendor.min.js': 'x',
  'public/app.js.map': '{}',
  'README.md': '# readme',
  'logo.png': 'png',
  'node_modules/left-pad/index.js': 'x',
  'dist/index.js': 'x',
  'build/out.js': 'x',
  'coverage/lcov-report/index.html': 'x',
  'test/unit.ts': 'x',
  '__tests__/a.js': 'x',
  '.git/config': 'x',
  'cdk.out/manifest.json': '{}',
  'app/app.py': 'print(1)',
  'app/requirements.txt': 'flask',
  'app/test_app.py': 'def test(): pass',
  'app/tests/conftest.py': 'x',
  'app/.venv/lib/site.py': 'x',
  'app/__pycache__/app.cpython-311.pyc': 'x',
};

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'veracode-pkg-'));
  for (const [path, text] of Object.entries(TREE)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const EXPECTED = ['app/app.py', 'app/requirements.txt', 'package-lock.json', 'package.json', 'src/index.ts', 'src/legacy.js', 'src/page.html', 'src/spec/options.ts', 'src/view.tsx'];

describe('packaging a JavaScript/TypeScript source directory', () => {
  test('keeps source and lock files (JS/TS and Python); leaves out node_modules, virtualenvs, tests, build outputs, minified files and maps', () => {
    expect(listPackagedFiles(root)).toEqual(EXPECTED);
  });

  test('the zip holds exactly those files with their contents', () => {
    const pkg = packageSourceDirectory(root);
    const entries = unzipSync(pkg.bytes);
    expect(Object.keys(entries).sort()).toEqual(EXPECTED);
    expect(Buffer.from(entries['src/index.ts']).toString()).toBe(TREE['src/index.ts']);
  });

  test('the same tree always gives the same bytes', () => {
    const a = packageSourceDirectory(root).bytes;
    const b = packageSourceDirectory(root).bytes;
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  test('a directory with nothing to package is an error, not an empty scan', () => {
    const empty = mkdtempSync(join(tmpdir(), 'veracode-empty-'));
    mkdirSync(join(empty, 'node_modules'));
    writeFileSync(join(empty, 'node_modules', 'x.js'), 'x');
    try {
      expect(() => packageSourceDirectory(empty)).toThrow(/is a directory with no JavaScript\/TypeScript or Python source to package \(after leaving out node_modules, virtualenvs/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  test('rules by path', () => {
    expect(isPackaged('a/b/c.mjs')).toBe(true);
    expect(isPackaged('packages/x/node_modules/y.js')).toBe(false);
    expect(isPackaged('x/yarn.lock')).toBe(true);
    expect(isPackaged('Makefile')).toBe(false);
  });
});

describeWithTools('the zip as Info-ZIP reads it', { commands: ['unzip'] }, () => {
  test('unzip -t finds no errors and lists the same files', () => {
    const zipPath = join(root, '..', `${root.split('/').pop()}.zip`);
    writeFileSync(zipPath, packageSourceDirectory(root).bytes);
    try {
      expect(execFileSync('unzip', ['-t', zipPath], { encoding: 'utf8' })).toMatch(/No errors detected/);
      const listed = execFileSync('unzip', ['-Z1', zipPath], { encoding: 'utf8' }).trim().split('\n').sort();
      expect(listed).toEqual(EXPECTED);
    } finally {
      rmSync(zipPath, { force: true });
    }
  });
});
