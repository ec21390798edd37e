import { spawnSync } from 'child_process';
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'fs';
import { join, relative } from 'path';
import { normaliseForProjenrc } from '../../src/projen/rejected-spec';
import { SpecValidationError } from '../../src/spec';
import { seedOptions } from '../spec/fixtures';
import { copyRepo } from '../support/repo-copy';

/** Every file under `dir` (node_modules is the shared link, not the copy's), with its content. */
function snapshot(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (at: string): void => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.name === 'node_modules' && at === dir) continue;
      if (entry.isDirectory()) walk(path);
      else files.set(relative(dir, path), readFileSync(path, 'latin1'));
    }
  };
  walk(dir);
  return files;
}

describe('npx projen on a rejected spec', () => {
  let dir: string;
  beforeAll(() => {
    dir = copyRepo('rejected');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('prints the problem list and nothing else, exits 1 and writes nothing', () => {
    const projenrc = join(dir, '.projenrc.ts');
    const good = readFileSync(projenrc, 'utf8');
    const bad = good
      .replace("publicSubnets: ['192.168.0.0/24'", "publicSubnets: ['192.168.0.1/24'")
      .replace("region: 'eu-west-1'", "region: 'eu-westt-1'");
    expect(bad).not.toBe(good);
    writeFileSync(projenrc, bad);
    const before = snapshot(dir);

    // As a user's shell runs it: jest's NODE_ENV=test would silence projen's own log lines, and colour is off.
    const { NODE_ENV: _jest, ...env } = process.env;
    const run = spawnSync('npx', ['projen'], { cwd: dir, encoding: 'utf8', env: { ...env, NO_COLOR: '1', FORCE_COLOR: '0' } });

    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    // The first and last lines are projen's own: it echoes the task's command, and reports a failed task in one
    // line that nothing in the task can suppress (projen/lib/cli/cmds/synth.js prints it for any non-zero exit).
    expect(run.stderr.split('\n')).toEqual([
      '👾 default | tsx .projenrc.ts',
      'Slipway found 2 problems in the service options (.projenrc.ts); nothing was written:',
      "  - service.region: 'eu-westt-1' is not an AWS region; did you mean 'eu-west-1'?",
      // Only production inherits the service-level network (staging writes its own), so the problem says which stage.
      "  - service.network.publicSubnets[0]: in stage 'production': '192.168.0.1/24' is not a network address (its host bits are set); did you mean '192.168.0.0/24'?",
      `👾 Synthesis failed: Task "default" failed when executing "tsx .projenrc.ts" (cwd: ${dir})`,
      '',
    ]);
    expect(snapshot(dir)).toEqual(before);
  });
});

describe('normaliseForProjenrc', () => {
  const bad = { ...seedOptions(), serviceName: 'Flask App' };

  test('ends a .projenrc.ts run with the rendered problem list alone', () => {
    const messages: string[] = [];
    const reject = (message: string): never => {
      messages.push(message);
      throw new Error('exited');
    };
    expect(() => normaliseForProjenrc(bad, { isProjenrcRun: true, reject })).toThrow('exited');
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/^Slipway found 1 problem in the service options \(\.projenrc\.ts\); nothing was written:\n {2}- service\.serviceName: 'Flask App'/);
  });

  test('throws the validation error anywhere else, so tests and other programs can catch it', () => {
    const reject = (): never => {
      throw new Error('must not exit');
    };
    expect(() => normaliseForProjenrc(bad, { isProjenrcRun: false, reject })).toThrow(SpecValidationError);
  });

  test('valid options pass through', () => {
    const reject = (): never => {
      throw new Error('must not exit');
    };
    expect(normaliseForProjenrc(seedOptions(), { isProjenrcRun: true, reject }).serviceName).toBe('flask-app');
  });
});
