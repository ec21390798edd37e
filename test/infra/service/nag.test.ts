/**
 * Every platform × database combination synthesizes the whole estate and
 * passes the AwsSolutions pack with no unacknowledged finding; every
 * acknowledgement in the service stacks carries a reviewable reason.
 */
import { PLATFORMS, DATABASES } from '../../../src/spec';
import { expectNoNagFindings, nagAcknowledgements } from '../nag';
import { EKS_NETWORK, estate } from './fixtures';

// Synthesizing the whole estate (and running cdk-nag over it) takes seconds on a busy CI machine.
jest.setTimeout(120_000);

const SERVICE_STACKS = ['flask-app-production-platform', 'flask-app-production-data', 'flask-app-production-logs', 'flask-app-production-observability', 'flask-app-production-delivery'];

describe.each(PLATFORMS.flatMap((platform) => DATABASES.map((database) => [platform, database] as const)))('%s with %s', (platform, database) => {
  const e = estate({ platform, database, alarms: { email: 'ops@example.com' } }, platform === 'eks' ? EKS_NETWORK : {});

  test('cdk-nag AwsSolutions: no unacknowledged findings', () => {
    expectNoNagFindings(e.app);
  });

  test('acknowledgements in the service stacks name a rule and give a reason', () => {
    const acks = nagAcknowledgements(e.app).filter((a) => SERVICE_STACKS.some((s) => a.path.startsWith(`${s}/`)));
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) {
      // cdk-nag rules, and cfn-guard Control Tower rules (acknowledged through the same CDK Validations API).
      expect(ack.rule).toMatch(/^(AwsSolutions-[A-Z0-9]+|cdk-validator-cfnguard::[a-z0-9_]+|CloudFormation-Validate::W\d+)/);
      expect(ack.reason.length).toBeGreaterThanOrEqual(40);
    }
  });
});
