import { readDeployInputs } from '../../../actions/codepipeline-deploy/src/inputs';
import { readRunContext } from '../../../actions/codepipeline-deploy/src/run-context';
import { InputError } from '../../../actions/shared/errors';
import { Inputs } from '../../../actions/shared/inputs';
import { testRunner } from '../support/runner';

function read(values: Record<string, string>): ReturnType<typeof readDeployInputs> {
  const t = testRunner(values);
  try {
    return readDeployInputs(new Inputs(t.runner));
  } finally {
    t.cleanup();
  }
}

describe('codepipeline-deploy inputs', () => {
  test('defaults match action.yml', () => {
    expect(read({ 'pipeline-name': 'deploy-flask-app' })).toEqual({
      pipelineName: 'deploy-flask-app',
      variables: [],
      source: undefined,
      wait: true,
      timeoutMinutes: 60,
      pollIntervalSeconds: 15,
      supersededIsSuccess: false,
      stopOnCancel: true,
      matrix: 'null',
    });
  });

  test('variables are NAME=value lines with CodePipeline naming rules', () => {
    expect(read({ 'pipeline-name': 'p', 'variables': 'IMAGE_TAG=abc\nuser@team-1=x' }).variables).toEqual([
      { name: 'IMAGE_TAG', value: 'abc' },
      { name: 'user@team-1', value: 'x' },
    ]);
    expect(() => read({ 'pipeline-name': 'p', 'variables': 'A.B=1' })).toThrow("input 'variables' line 1: name 'A.B' may contain only letters, digits, @, - and _.");
    expect(() => read({ 'pipeline-name': 'p', 'variables': 'A=' })).toThrow("the value of 'A' must be 1 to 1000 characters long; it has 0.");
    expect(() => read({ 'pipeline-name': 'p', 'variables': `A=${'x'.repeat(1001)}` })).toThrow('it has 1001.');
    const many = Array.from({ length: 51 }, (_, i) => `V${i}=1`).join('\n');
    expect(() => read({ 'pipeline-name': 'p', 'variables': many })).toThrow("input 'variables' has 51 lines; CodePipeline accepts at most 50");
  });

  test('the S3 source comes as a set of three', () => {
    expect(read({ 'pipeline-name': 'p', 'source-file': 'a.zip', 'source-bucket': 'b', 'source-key': 'k' }).source).toEqual({ file: 'a.zip', bucket: 'b', key: 'k' });
    let error: unknown;
    try {
      read({ 'pipeline-name': 'p', 'source-file': 'a.zip' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toBe("inputs 'source-file' need 'source-bucket' and 'source-key' as well: an S3 source upload needs the file, the bucket and the key.");
  });

  test('bad values name the input', () => {
    expect(() => read({})).toThrow("input 'pipeline-name' is required");
    expect(() => read({ 'pipeline-name': 'has space' })).toThrow("input 'pipeline-name' must be 1 to 100 letters");
    expect(() => read({ 'pipeline-name': 'p', 'wait': 'yes' })).toThrow("input 'wait' must be true or false; got 'yes'");
    expect(() => read({ 'pipeline-name': 'p', 'timeout-minutes': '0' })).toThrow("input 'timeout-minutes' must be between 1 and 4320; got '0'");
    expect(() => read({ 'pipeline-name': 'p', 'poll-interval-seconds': '1.5' })).toThrow("input 'poll-interval-seconds' must be a whole number");
    expect(() => read({ 'pipeline-name': 'p', 'superseded-is-success': 'no' })).toThrow("input 'superseded-is-success'");
    expect(() => read({ 'pipeline-name': 'p', 'stop-on-cancel': 'off' })).toThrow("input 'stop-on-cancel'");
  });
});

describe('run context', () => {
  test('needs numeric run id and attempt, and links the run', () => {
    const env = { GITHUB_RUN_ID: '99', GITHUB_RUN_ATTEMPT: '1', GITHUB_REPOSITORY: 'o/r', GITHUB_JOB: 'deploy', GITHUB_ACTION: '__run', GITHUB_WORKFLOW_REF: 'o/r/.github/workflows/p.yml@refs/heads/main', GITHUB_SHA: 'abc' };
    expect(readRunContext(env)).toEqual({
      runId: '99',
      runAttempt: '1',
      runUrl: 'https://github.com/o/r/actions/runs/99/attempts/1',
      request: { repository: 'o/r', workflowRef: 'o/r/.github/workflows/p.yml@refs/heads/main', job: 'deploy', step: '__run', sha: 'abc' },
    });
    expect(() => readRunContext({})).toThrow("GITHUB_RUN_ID and GITHUB_RUN_ATTEMPT must be numbers (got '' and '')");
  });
});
