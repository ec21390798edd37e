import { ProcessRunner, escapeCommandData, formatCommand, formatFileCommand, inputVariable } from '../../../actions/shared/runner';
import { outputsTheRunnerWouldDrop, registeredMasks } from '../support/masks';
import { parseFileCommands, testRunner } from '../support/runner';

describe('runner protocol', () => {
  test('input names map to INPUT_ variables the way the runner sets them', () => {
    expect(inputVariable('pipeline-name')).toBe('INPUT_PIPELINE-NAME');
    expect(inputVariable('my input')).toBe('INPUT_MY_INPUT');
  });

  test('command messages escape %, CR and LF; properties also escape : and ,', () => {
    expect(escapeCommandData('50%\r\nnext')).toBe('50%25%0D%0Anext');
    expect(formatCommand('error', 'a\nb', { file: 'C:\\x,y', line: 3, title: undefined })).toBe('::error file=C%3A\\x%2Cy,line=3::a%0Ab');
  });

  test('file commands use a heredoc delimiter and refuse values containing it', () => {
    expect(formatFileCommand('out', 'two\nlines', 'EOF_X')).toBe('out<<EOF_X\ntwo\nlines\nEOF_X\n');
    expect(() => formatFileCommand('out', 'has EOF_X inside', 'EOF_X')).toThrow(/contains the delimiter EOF_X/);
  });

  test('outputs, state and summary round-trip through the runner files', () => {
    const t = testRunner({ 'pipeline-name': '  deploy  ' });
    try {
      expect(t.runner.input('pipeline-name')).toBe('deploy');
      expect(t.runner.input('absent')).toBe('');
      t.runner.setOutput('execution-id', 'abc\ndef');
      t.runner.saveState('execution-id', 'abc');
      t.runner.appendSummary('### done');
      expect(t.outputs()).toEqual({ 'execution-id': 'abc\ndef' });
      expect(t.state()).toEqual({ 'execution-id': 'abc' });
      expect(t.summary()).toBe('### done\n');
    } finally {
      t.cleanup();
    }
  });

  test('setSecret masks, setFailed reports an error and fails the job', () => {
    const t = testRunner();
    try {
      t.runner.setSecret('hunter2');
      t.runner.setSecret('');
      t.runner.setFailed('it broke: 100%');
      expect(t.log()).toBe('::add-mask::hunter2\n::error::it broke: 100%25\n');
      expect(t.failed()).toBe(true);
    } finally {
      t.cleanup();
    }
  });

  test('state written by the main step is read back from STATE_ variables in the post step', () => {
    const post = new ProcessRunner({ env: { STATE_registry: '123.dkr.ecr.eu-west-1.amazonaws.com' }, write: () => undefined });
    expect(post.state('registry')).toBe('123.dkr.ecr.eu-west-1.amazonaws.com');
    expect(post.state('other')).toBe('');
  });

  test('without runner files, outputs and summary still reach the log', () => {
    let log = '';
    const r = new ProcessRunner({ env: {}, write: (t) => { log += t; } });
    r.setOutput('digest', 'sha256:1');
    r.appendSummary('| a |');
    expect(log).toBe('output digest=sha256:1\n| a |\n');
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
