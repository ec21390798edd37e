import { RECORD_FILE, generatedSet, ownerOf } from '../../src/upgrade/ownership';

const generated = generatedSet(JSON.stringify({ files: ['.github/workflows/pipeline.yml', 'src/projen/tsconfig.json', 'ansible/group_vars/all/slipway.yml'] }));

test.each([
  ['src/main.ts', 'platform'],
  ['actions/ecr-image/src/main.ts', 'platform'],
  ['ansible/roles/node_exporter/defaults/main.yml', 'platform'],
  ['test/spec/normalise.test.ts', 'platform'],
  ['.ci/run', 'platform'],
  ['CHANGELOG.md', 'platform'],
  ['src/projen/tsconfig.json', 'generated'],
  ['ansible/group_vars/all/slipway.yml', 'generated'],
  ['.github/workflows/pipeline.yml', 'generated'],
  ['package.json', 'generated'],
  ['package-lock.json', 'shared'],
  [RECORD_FILE, 'record'],
  ['.projenrc.ts', 'service'],
  ['app/app.py', 'service'],
  ['README.md', 'service'],
  ['srcfoo/x.ts', 'service'],
])('%s is %s', (path, owner) => {
  expect(ownerOf(path, generated)).toBe(owner);
});

test('a files.json without a files list is an error that says how to fix it', () => {
  expect(() => generatedSet('{}')).not.toThrow();
  expect(() => generatedSet('{"files": "x"}')).toThrow("run 'npx projen'");
});
