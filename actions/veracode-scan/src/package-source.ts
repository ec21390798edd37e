/**
 * Packaging a JavaScript/TypeScript source directory for Static Analysis the
 * way Veracode's packaging guidance asks: a zip of the source code without
 * test code, built distribution files or node_modules (lock files are kept,
 * so dependencies are still known). Python sources (a service's app/) are
 * packaged by the same rules: .py files and requirement/lock files, no
 * virtualenvs, caches or tests. Entries are sorted and dated to a fixed
 * time so the same tree always gives the same bytes (and the same SHA-256).
 */
import { readdirSync, readFileSync, statSync } from 'fs';
import { join, relative, sep } from 'path';
import { zipSync, Zippable } from 'fflate';
import { ActionError } from '../../shared/errors';

/** Directories never packaged: dependencies, VCS data, build outputs, caches and test code. */
export const EXCLUDED_DIRECTORIES: ReadonlySet<string> = new Set([
  'node_modules', 'bower_components', 'jspm_packages', '.git', '.hg', '.svn',
  'dist', 'build', 'out', 'lib-cov', 'coverage', '.nyc_output', '.next', '.nuxt', '.svelte-kit', '.angular',
  '.cache', '.parcel-cache', '.turbo', 'cdk.out', '.scannerwork', 'test-reports', 'tmp', '.tmp',
  'venv', '.venv', '__pycache__', '.tox', '.pytest_cache', '.mypy_cache',
  'test', 'tests', '__tests__', '__mocks__', 'e2e', 'cypress', 'playwright', 'fixtures', '.storybook',
]);

/** Source the JavaScript/TypeScript analysis reads. */
const SOURCE_EXTENSIONS = ['.js', '.jsx', '.mjs', '.cjs', '.ts', '.tsx', '.mts', '.cts', '.vue', '.html', '.htm', '.json', '.ejs', '.hbs', '.py'];

/** Lock files are kept whatever their extension: they name the dependencies node_modules would have held. */
const ALWAYS_KEPT = new Set([
  'package.json', 'package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml',
  'requirements.txt', 'Pipfile', 'Pipfile.lock', 'poetry.lock', 'pyproject.toml',
]);

/** Files that are tests, type declarations, minified or source maps, by name. */
const EXCLUDED_FILE = /(\.(test|spec|e2e)\.[cm]?[jt]sx?$)|(\.d\.[cm]?ts$)|(\.min\.js$)|(\.map$)|(^test_.*\.py$)|(_test\.py$)|(^conftest\.py$)/;

/** 1980-01-01, the earliest time a zip entry can carry: a fixed date keeps the archive reproducible. */
const FIXED_MTIME = new Date(1980, 0, 1, 0, 0, 0);

/** Whether a file (by its path relative to the packaged directory) belongs in the package. */
export function isPackaged(relativePath: string): boolean {
  const parts = relativePath.split(/[\\/]/);
  const name = parts[parts.length - 1];
  if (parts.slice(0, -1).some((dir) => EXCLUDED_DIRECTORIES.has(dir))) return false;
  if (ALWAYS_KEPT.has(name)) return true;
  if (EXCLUDED_FILE.test(name)) return false;
  const dot = name.lastIndexOf('.');
  return dot > 0 && SOURCE_EXTENSIONS.includes(name.slice(dot).toLowerCase());
}

/** Every file under `root` that belongs in the package, as sorted POSIX relative paths. */
export function listPackagedFiles(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!EXCLUDED_DIRECTORIES.has(entry.name)) walk(full);
      } else if (entry.isFile()) {
        const rel = relative(root, full).split(sep).join('/');
        if (isPackaged(rel)) found.push(rel);
      }
      // Symbolic links are skipped: following them could leave the directory or loop.
    }
  };
  walk(root);
  return found.sort();
}

export interface SourcePackage {
  readonly bytes: Uint8Array;
  readonly files: readonly string[];
}

/** Zip the packaged files of `root`; an empty package is an error, never an empty scan. */
export function packageSourceDirectory(root: string): SourcePackage {
  if (!statSync(root).isDirectory()) {
    throw new ActionError(`file '${root}' is not a directory.`);
  }
  const files = listPackagedFiles(root);
  if (files.length === 0) {
    throw new ActionError(
      `file '${root}' is a directory with no JavaScript/TypeScript or Python source to package (after leaving out node_modules, virtualenvs, VCS data, tests and build outputs). ` +
        'Point file at the source directory, or at a prebuilt artifact.',
    );
  }
  const entries: Zippable = {};
  for (const rel of files) {
    entries[rel] = [readFileSync(join(root, rel)), { mtime: FIXED_MTIME }];
  }
  return { bytes: zipSync(entries, { level: 6 }), files };
}
