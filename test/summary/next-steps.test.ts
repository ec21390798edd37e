import { normaliseServiceOptions } from '../../src/spec';
import { renderNextSteps } from '../../src/summary/render';
import { seedOptions } from '../spec/fixtures';

describe('the summary printed by `npx projen main`', () => {
  const next = renderNextSteps(normaliseServiceOptions(seedOptions()));

  test('does not tell the user to run plain `npx projen` right after `npx projen main` ran it', () => {
    expect(next).not.toContain("run 'npx projen'");
    expect(next).toContain("edit its options in .projenrc.ts (serviceName 'flask-app', region eu-west-1) and run 'npx projen main' again");
  });
});
