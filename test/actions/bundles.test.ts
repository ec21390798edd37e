/**
 * Every committed actions/<name>/dist bundle must be exactly what
 * `npx projen bundle:actions` builds from the current sources.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join } from 'path';
import { BUNDLE_ACTIONS_TASK, bundleOptions, describeAction, discoverActions } from '../../src/projen/action-bundles';
import { buildActionBundles } from '../../src/projen/bundle-actions';

const ROOT = join(__dirname, '../..');

describe('action bundles are up to date', () => {
  let out: string;
  beforeAll(() => { out = mkdtempSync(join(tmpdir(), 'slipway-bundles-')); });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  test('rebuilding every action gives byte-identical committed bundles, and dist/ holds nothing else', async () => {
    const built = await buildActionBundles(ROOT, out);
    expect(built.length).toBeGreaterThan(0);
    const stale = built.filter((b) => {
      const committed = join(ROOT, b.path);
      return !existsSync(committed) || !readFileSync(committed).equals(readFileSync(join(out, b.path)));
    }).map((b) => b.path);
    // Fix: run `npx projen bundle:actions` and commit actions/*/dist.
    expect({ stale }).toEqual({ stale: [] });
    for (const action of discoverActions(ROOT)) {
      const expected = action.entries.map((e) => e.bundle.replace('dist/', '')).sort();
      const dist = join(ROOT, action.dir, 'dist');
      expect({ [action.name]: existsSync(dist) ? readdirSync(dist).sort() : [] }).toEqual({ [action.name]: expected });
    }
  }, 120_000);

  test('the projen bundle task runs bundle:actions', () => {
    const tasks = (JSON.parse(readFileSync(join(ROOT, '.projen/tasks.json'), 'utf8')) as { tasks: Record<string, { steps?: Record<string, unknown>[] }> }).tasks;
    expect(tasks[BUNDLE_ACTIONS_TASK].steps).toEqual([{ exec: 'tsx src/projen/bundle-actions.ts', receiveArgs: true }]);
    expect(tasks.bundle.steps).toContainEqual({ spawn: BUNDLE_ACTIONS_TASK });
  });
});

describe('action discovery', () => {
  let root: string;
  beforeEach(() => { root = mkdtempSync(join(tmpdir(), 'slipway-discover-')); });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  function write(path: string, text: string): void {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }

  test('finds directories with action.yml, with post entries when present and the node target from runs.using', () => {
    write('actions/b/action.yml', 'runs:\n  using: node24\n  main: dist/index.js\n  post: dist/post.js\n');
    write('actions/b/src/main.ts', '');
    write('actions/b/src/post.ts', '');
    write('actions/a/action.yml', 'runs:\n  using: node20\n  main: dist/index.js\n');
    write('actions/a/src/main.ts', '');
    write('actions/shared/index.ts', '');
    expect(discoverActions(root)).toEqual([
      { name: 'a', dir: 'actions/a', target: 'node20', entries: [{ source: 'actions/a/src/main.ts', bundle: 'dist/index.js' }] },
      {
        name: 'b',
        dir: 'actions/b',
        target: 'node24',
        entries: [{ source: 'actions/b/src/main.ts', bundle: 'dist/index.js' }, { source: 'actions/b/src/post.ts', bundle: 'dist/post.js' }],
      },
    ]);
  });

  test('src/on-demand.ts becomes its own dist/on-demand.js, which main loads at run time', () => {
    write('actions/c/action.yml', 'runs:\n  using: node24\n  main: dist/index.js\n');
    write('actions/c/src/main.ts', '');
    write('actions/c/src/on-demand.ts', '');
    expect(describeAction(root, 'c').entries).toEqual([
      { source: 'actions/c/src/main.ts', bundle: 'dist/index.js' },
      { source: 'actions/c/src/on-demand.ts', bundle: 'dist/on-demand.js' },
    ]);
  });

  test('mismatches between action.yml and the sources are errors saying what to fix', () => {
    write('actions/x/action.yml', 'runs:\n  using: composite\n');
    expect(() => describeAction(root, 'x')).toThrow("actions/x/action.yml: runs.using must name a Node runtime such as 'node24'; got \"composite\"");
    write('actions/x/action.yml', 'runs:\n  using: node24\n  main: dist/index.js\n');
    expect(() => describeAction(root, 'x')).toThrow('actions/x: every action needs src/main.ts; add it or remove actions/x/action.yml');
    write('actions/x/src/main.ts', '');
    write('actions/x/src/post.ts', '');
    expect(() => describeAction(root, 'x')).toThrow("actions/x/action.yml: runs.post must be 'dist/post.js' because actions/x/src/post.ts exists; got undefined");
    write('actions/x/action.yml', 'runs:\n  using: node24\n  main: lib/main.js\n');
    expect(() => describeAction(root, 'x')).toThrow("runs.main must be 'dist/index.js'");
    rmSync(join(root, 'actions/x/src/post.ts'));
    write('actions/x/action.yml', 'runs:\n  using: node24\n  main: dist/index.js\n  post: dist/post.js\n');
    expect(() => describeAction(root, 'x')).toThrow('runs.post is "dist/post.js" but actions/x/src/post.ts does not exist');
  });

  test('bundles are minified CommonJS for node, relative to the repo root so the bytes do not depend on the checkout path', () => {
    write('actions/a/action.yml', 'runs:\n  using: node24\n  main: dist/index.js\n');
    write('actions/a/src/main.ts', '');
    const [action] = discoverActions(root);
    expect(bundleOptions(root, action, action.entries[0], join(root, 'tmp-out'))).toMatchObject({
      absWorkingDir: root,
      entryPoints: ['actions/a/src/main.ts'],
      outfile: 'tmp-out/actions/a/dist/index.js',
      bundle: true,
      minify: true,
      platform: 'node',
      format: 'cjs',
      target: 'node24',
      sourcemap: false,
    });
  });

  test('bundling only named actions refuses an unknown name', async () => {
    await expect(buildActionBundles(ROOT, root, ['no-such-action'])).rejects.toThrow(/no action named no-such-action; actions with an action.yml: .*codepipeline-deploy/);
  });
});
