import { existsSync, mkdtempSync, readdirSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Testing } from 'projen';
import { SlipwayProject } from '../../src/projen';
import { SPEC_FILE, SpecValidationError, normaliseEstate } from '../../src/spec';
import { seedOptions } from '../spec/fixtures';

describe('SlipwayProject', () => {
  const project = new SlipwayProject({ service: seedOptions(), outdir: mkdtempSync(join(tmpdir(), 'slipway-project-')) });
  const out = Testing.synth(project);

  test('writes the normalised spec for the CDK app and the host driver', () => {
    expect(out[SPEC_FILE]).toEqual(normaliseEstate(seedOptions()));
  });

  test('runs the CDK app from source with tsx and no bundle step before synth', () => {
    // the wasm tiering budget keeps CDK's validation engine off TurboFan for this short process (see test/bench/synth.bench.ts)
    expect(out['cdk.json'].app).toBe('node --wasm-tiering-budget=2000000000 --require tsx/cjs src/main.ts');
    expect(out['cdk.json'].build).toBeUndefined();
  });

  test('runs .projenrc.ts with tsx and leaves the type-check to the test task', () => {
    const tasks = out['.projen/tasks.json'].tasks;
    expect(tasks.default.steps).toEqual([{ execArgs: ['tsx', '.projenrc.ts'] }]);
    expect(tasks.test.steps[0].execArgs).toEqual(['tsc', '--noEmit', '-p', 'tsconfig.dev.json']);
  });

  test('the main job regenerates, synthesizes offline and summarises', () => {
    const steps = out['.projen/tasks.json'].tasks.main.steps;
    expect(steps[0]).toEqual({ spawn: 'default' });
    // The offline synth (cdk synth --no-lookups, see test/projen/offline-synth.test.ts) into a fresh cdk.out.
    expect(steps[1].exec).toBe('tsx src/projen/offline-synth-cli.ts cdk.out');
    expect(steps[2].exec).toBe('tsx src/summary/cli.ts');
  });

  test('the package is named after the service', () => {
    expect(out['package.json'].name).toBe('flask-app');
  });

  test("projen's stock workflows are replaced, not added", () => {
    for (const stock of ['.github/workflows/build.yml', '.github/workflows/upgrade.yml', '.github/workflows/release.yml', '.mergify.yml']) {
      expect(out[stock]).toBeUndefined();
    }
  });

  test('jest tests the test folder and never updates snapshots on its own', () => {
    expect(out['package.json'].jest.testMatch).toEqual(['<rootDir>/test/**/*.test.ts']);
    const jestStep = out['.projen/tasks.json'].tasks.test.steps.find((s: { execArgs?: string[] }) => s.execArgs?.[0] === 'jest');
    expect(jestStep.execArgs).toContain('--ci');
  });
});

describe('bad options stop the project before anything is written', () => {
  test('the error lists the problem and the outdir stays empty', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'slipway-bad-'));
    try {
      const bad = { ...seedOptions(), network: { ...seedOptions().network, cidr: '192.168.0.1/16' } };
      expect(() => new SlipwayProject({ service: bad, outdir })).toThrow(SpecValidationError);
      expect(() => new SlipwayProject({ service: bad, outdir })).toThrow("did you mean '192.168.0.0/16'?");
      expect(readdirSync(outdir)).toEqual([]);
      expect(existsSync(join(outdir, SPEC_FILE))).toBe(false);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
