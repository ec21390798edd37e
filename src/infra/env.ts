/**
 * Where the stacks deploy. The region comes from the spec; the account too
 * when the spec pins one, otherwise the stacks stay account-agnostic and the
 * deploying credentials decide. Neither case needs a lookup at synth time.
 */
import type { Environment } from 'aws-cdk-lib';
import type { ServiceSpec } from '../spec';

export function stackEnvironment(spec: Pick<ServiceSpec, 'region' | 'account'>): Environment {
  return spec.account ? { region: spec.region, account: spec.account } : { region: spec.region };
}
