import { SpecValidationError, normaliseServiceOptions, type ServiceOptions } from '../../src/spec';

/** The seed's options, as `.projenrc.ts` spells them. Tests derive variants from this. */
export function seedOptions(): ServiceOptions {
  return {
    serviceName: 'flask-app',
    region: 'eu-west-1',
    network: {
      cidr: '192.168.0.0/16',
      availabilityZones: 2,
      publicSubnets: ['192.168.0.0/24', '192.168.1.0/24'],
      privateSubnets: ['192.168.2.0/24', '192.168.3.0/24'],
    },
    // A protected environment must name who receives its alarms (the seed is unprotected until it has HTTPS).
    alarms: { email: 'oncall@example.com' },
    github: { owner: 'slipway-dev', repo: 'flask-app' },
  };
}

/** Seed options with the network replaced by `network` merged over the seed's. */
export function withNetwork(network: Record<string, unknown>): unknown {
  const seed = seedOptions();
  return { ...seed, network: { ...seed.network, ...network } };
}

/** Runs the validator on options it must reject and returns its problems as `path: message` lines. */
export function problemsOf(input: unknown): string[] {
  try {
    normaliseServiceOptions(input);
  } catch (e) {
    if (e instanceof SpecValidationError) return e.problems.map((p) => `${p.path}: ${p.message}`);
    throw e;
  }
  throw new Error('expected the options to be rejected');
}
