import { criticalPath, graphDepth, graphProblems } from '../../../src/projen/workflows';

describe('job graph', () => {
  const pipeline = { build: [], sonar: ['build'], veracode: ['build'], image: ['build'], deploy: ['build', 'sonar', 'veracode', 'image'] };

  test('the critical path of the pipeline is three jobs deep', () => {
    expect(criticalPath(pipeline)).toEqual(['build', 'sonar', 'deploy']);
    expect(graphDepth(pipeline)).toBe(3);
  });

  test('a serial chain is as deep as it is long', () => {
    expect(graphDepth({ a: [], b: ['a'], c: ['b'], d: ['c'] })).toBe(4);
  });

  test('independent jobs are one deep', () => {
    expect(graphDepth({ build: [], diff: [] })).toBe(1);
  });

  test('a need on a missing job is named', () => {
    expect(graphProblems({ deploy: ['image'] })).toEqual(["job 'deploy' needs 'image', which is not a job in this workflow"]);
    expect(() => criticalPath({ deploy: ['image'] })).toThrow("cannot measure the job graph: job 'deploy' needs 'image'");
  });

  test('a cycle is named with its path', () => {
    expect(graphProblems({ a: ['c'], b: ['a'], c: ['b'] })).toEqual(['the jobs form a cycle: a → c → b → a']);
  });
});
