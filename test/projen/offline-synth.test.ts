import { spawnSync } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { removeStaleAssembly } from '../../src/projen/clean-assembly';
import { LineSplitter, isDroppedSynthLine } from '../../src/projen/synth-output';
import { REPO_ROOT } from '../support/repo-copy';

describe('removeStaleAssembly', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'slipway-clean-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const assembly = (files: string[]): void => {
    mkdirSync(join(root, 'cdk.out'));
    for (const f of files) writeFileSync(join(root, 'cdk.out', f), '{}');
  };

  test('removes a previous cloud assembly with its templates', () => {
    assembly(['manifest.json', 'old-svc-network.template.json']);
    expect(removeStaleAssembly(root, 'cdk.out')).toEqual({ removed: 'assembly' });
    expect(existsSync(join(root, 'cdk.out'))).toBe(false);
  });

  test('nothing to do on a fresh clone', () => {
    expect(removeStaleAssembly(root, 'cdk.out')).toEqual({ removed: 'nothing' });
  });

  test('a symlinked cdk.out is unlinked, and what it points to is left alone', () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'slipway-elsewhere-'));
    try {
      writeFileSync(join(elsewhere, 'manifest.json'), '{}');
      symlinkSync(elsewhere, join(root, 'cdk.out'));
      expect(removeStaleAssembly(root, 'cdk.out')).toEqual({ removed: 'symlink' });
      expect(existsSync(join(elsewhere, 'manifest.json'))).toBe(true);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  test('a directory that is not a cloud assembly is refused, not deleted', () => {
    assembly(['notes.txt']);
    expect(removeStaleAssembly(root, 'cdk.out')).toEqual({ refused: expect.stringContaining("'cdk.out' has files but no manifest.json") });
    expect(existsSync(join(root, 'cdk.out', 'notes.txt'))).toBe(true);
  });

  test.each(['..', '.', '/tmp'])('an output directory %p outside the project (or the project itself) is refused', (outdir) => {
    expect(removeStaleAssembly(root, outdir)).toEqual({ refused: expect.stringContaining('is not inside the project') });
    expect(existsSync(root)).toBe(true);
  });
});

describe('the synth output the main task keeps', () => {
  test("drops the CLI's multi-stack hint, which --quiet does not stop", () => {
    expect(isDroppedSynthLine('Supply a stack id (flask-app-network, flask-app-data) to display its template.')).toBe(true);
  });

  test.each([
    'Successfully synthesized to /repo/cdk.out',
    '[Warning at /flask-app-network/Vpc] AwsSolutions-VPC7: The VPC does not have an associated Flow Log.',
    '[Error at /flask-app-data] something failed',
  ])('keeps %p', (line) => {
    expect(isDroppedSynthLine(line)).toBe(false);
  });

  test('lines split across chunks are rejoined', () => {
    const split = new LineSplitter();
    expect(split.push('Supply a stack id (a, ')).toEqual([]);
    expect(split.push('b) to display its template.\nnext')).toEqual(['Supply a stack id (a, b) to display its template.']);
    expect(split.end()).toEqual(['next']);
  });
});

describe('offline-synth-cli with the real cdk CLI', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'slipway-synth-'));
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules'));
    // A two-stack app named after the service in SERVICE: what a rename changes.
    writeFileSync(
      join(dir, 'app.js'),
      "const cdk = require('aws-cdk-lib');\nconst app = new cdk.App();\nconst s = process.env.SERVICE;\n" +
        "for (const part of ['network', 'data']) new cdk.Stack(app, `${s}-${part}`).templateOptions.description = s;\napp.synth();\n",
    );
    writeFileSync(join(dir, 'cdk.json'), JSON.stringify({ app: 'node app.js', output: 'cdk.out' }));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const synth = (service: string) =>
    spawnSync(join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), [join(REPO_ROOT, 'src/projen/offline-synth-cli.ts'), 'cdk.out'], {
      cwd: dir,
      encoding: 'utf8',
      env: {
        ...process.env,
        SERVICE: service,
        PATH: `${join(REPO_ROOT, 'node_modules', '.bin')}:${process.env.PATH}`,
        CDK_DISABLE_VERSION_CHECK: 'true',
        CDK_DISABLE_CLI_TELEMETRY: 'true',
      },
    });

  test('after a rename no template of the old service remains, and the stack-id hint is gone', () => {
    const first = synth('old-svc');
    expect(first.status).toBe(0);
    expect(readdirSync(join(dir, 'cdk.out')).filter((f) => f.endsWith('.template.json')).sort()).toEqual([
      'old-svc-data.template.json',
      'old-svc-network.template.json',
    ]);

    const second = synth('new-svc');
    expect(second.status).toBe(0);
    expect(readdirSync(join(dir, 'cdk.out')).filter((f) => f.endsWith('.template.json')).sort()).toEqual([
      'new-svc-data.template.json',
      'new-svc-network.template.json',
    ]);
    expect(second.stdout + second.stderr).not.toContain('Supply a stack id');
    expect(second.stdout + second.stderr).toContain('Successfully synthesized to');
  }, 60_000);

  test("a failing synth fails the step with cdk's own error", () => {
    writeFileSync(join(dir, 'app.js'), "throw new Error('the app broke');\n");
    const run = synth('any');
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('the app broke');
  }, 60_000);
});
