import { seedOptions, withNetwork } from './fixtures';
import { SpecValidationError, normaliseServiceOptions } from '../../src/spec';

describe('EKS needs outbound access from the private subnets', () => {
  test("platform 'eks' with egress 'none' is rejected with the fix", () => {
    let problems: string[] = [];
    try {
      normaliseServiceOptions({ ...seedOptions(), platform: 'eks' });
    } catch (e) {
      if (!(e instanceof SpecValidationError)) throw e;
      problems = e.problems.map((p) => `${p.path}: ${p.message}`);
    }
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^service\.network\.egress: 'none' leaves EKS pods without the AWS APIs .* set egress: 'nat-gateway'/);
  });

  test('EKS with a NAT gateway, and ECS without egress, are accepted', () => {
    expect(normaliseServiceOptions({ ...(withNetwork({ egress: 'nat-gateway' }) as object), platform: 'eks' }).platform).toBe('eks');
    expect(normaliseServiceOptions(seedOptions()).network.egress).toBe('none');
  });
});
