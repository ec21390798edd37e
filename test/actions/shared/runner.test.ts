import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { CoreRunner, Runner } from '../../../actions/shared/runner';
import { withCommandsStopped } from '../../../actions/shared/untrusted-output';
import { outputsTheRunnerWouldDrop, registeredMasks } from '../support/masks';
import { escapeCommandData, formatCommand, inputVariable, parseFileCommands, testRunner } from '../support/runner';

/** Every Runner call an action makes, with values that need escaping. */
async function exercise(runner: Runner): Promise<string[]> {
  const seen = [runner.input('pipeline-name'), runner.input('absent'), runner.state('registry')];
  runner.setSecret('hunter2');
  runner.setSecret('');
  runner.setOutput('execution-id', 'abc\ndef');
  runner.saveState('execution-id', 'abc');
  runner.info('plain line');
  runner.debug('50% done');
  runner.notice('note', { title: 'T' });
  runner.warning('careful', { file: 'C:\\x,y', line: 3 });
  runner.error('a\nb');
  runner.startGroup('group');
  runner.endGroup();
  await withCommandsStopped(runner, async () => undefined);
  await runner.appendSummary('### done');
  await runner.appendSummary('| a |\n');
  runner.setFailed('it broke: 100%');
  return seen;
}

/** Stop-commands tokens are random; name them by order so two logs compare. */
function normalise(log: string): string {
  const tokens = [...log.matchAll(/::stop-commands::(\S+)/g)].map((m) => m[1]);
  return tokens.reduce((text, token, i) => text.split(token).join(`<token${i}>`), log);
}

describe('CoreRunner speaks the runner protocol through @actions/core', () => {
  const saved = { ...process.env };
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'slipway-core-')); });
  afterEach(() => {
    process.env = { ...saved };
    process.exitCode = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  test('the recording runner the action tests use writes exactly what core writes', async () => {
    const files = { GITHUB_OUTPUT: join(dir, 'output'), GITHUB_STATE: join(dir, 'state'), GITHUB_STEP_SUMMARY: join(dir, 'summary') };
    for (const path of Object.values(files)) writeFileSync(path, '');
    Object.assign(process.env, files, { [inputVariable('pipeline-name')]: '  deploy  ', STATE_registry: 'r.example' });
    delete process.env.INPUT_ABSENT;
    let coreLog = '';
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      coreLog += String(chunk);
      return true;
    });
    let coreSeen: string[];
    try {
      coreSeen = await exercise(new CoreRunner());
    } finally {
      spy.mockRestore();
    }
    expect(process.exitCode).toBe(1);

    const t = testRunner({ 'pipeline-name': '  deploy  ' }, { STATE_registry: 'r.example' });
    try {
      expect(await exercise(t.runner)).toEqual(coreSeen);
      expect(coreSeen).toEqual(['deploy', '', 'r.example']);
      expect(normalise(t.log())).toBe(normalise(coreLog));
      expect(parseFileCommands(readFileSync(files.GITHUB_OUTPUT, 'utf8'))).toEqual(t.outputs());
      expect(parseFileCommands(readFileSync(files.GITHUB_STATE, 'utf8'))).toEqual(t.state());
      expect(readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8')).toBe(t.summary());
      expect(t.outputs()).toEqual({ 'execution-id': 'abc\ndef' });
      expect(t.failed()).toBe(true);
    } finally {
      t.cleanup();
    }
    expect(normalise(coreLog)).toContain('::add-mask::hunter2\n');
    expect(normalise(coreLog)).toContain('::warning file=C%3A\\x%2Cy,line=3::careful\n');
    expect(normalise(coreLog)).toContain('::stop-commands::<token0>\n::<token0>::\n');
  });

  test('without a summary file the summary reaches the log', async () => {
    delete process.env.GITHUB_STEP_SUMMARY;
    let log = '';
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => { log += String(chunk); return true; });
    try {
      await new CoreRunner().appendSummary('| a |');
    } finally {
      spy.mockRestore();
    }
    expect(log).toBe('| a |\n');
  });
});

describe('the recording runner', () => {
  test('input names map to INPUT_ variables the way the runner sets them', () => {
    expect(inputVariable('pipeline-name')).toBe('INPUT_PIPELINE-NAME');
    expect(inputVariable('my input')).toBe('INPUT_MY_INPUT');
  });

  test('command messages escape %, CR and LF', () => {
    expect(escapeCommandData('50%\r\nnext')).toBe('50%25%0D%0Anext');
    expect(formatCommand('error', 'a\nb', { line: 3, title: undefined })).toBe('::error line=3::a%0Ab');
  });

  test('parseFileCommands reads several entries', () => {
    expect(parseFileCommands('a<<D1\n1\nD1\nb<<D2\n\nD2\n')).toEqual({ a: '1', b: '' });
  });
});

describe("the runner's output-masking rule, as the bundle tests check it", () => {
  test('an output containing a value registered with add-mask is one the runner would drop', () => {
    const t = testRunner();
    try {
      t.runner.setSecret('s3cr%t\nline2');
      t.runner.setOutput('image-uri', '123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:abc');
      t.runner.setOutput('token-echo', 'prefix-s3cr%t\nline2-suffix');
      expect(registeredMasks(t.log())).toEqual(['s3cr%t\nline2']);
      expect(outputsTheRunnerWouldDrop(t.outputs(), registeredMasks(t.log()))).toEqual(["token-echo contains 's3cr%t\nline2'"]);
    } finally {
      t.cleanup();
    }
  });
});
