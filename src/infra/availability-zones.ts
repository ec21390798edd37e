/**
 * AZ placement without a context lookup: a pinned name is used as written,
 * otherwise the AZ is picked by index from `Fn::GetAZs` at deploy time, so
 * `cdk synth` never needs AWS credentials or cdk.context.json.
 */
import { Fn } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { AvailabilityZoneSpec, NetworkSpec, SubnetSpec } from '../spec';
import { acknowledge } from './acknowledge';

/** The AZ of one spec entry: its pinned name, or `Fn::Select [index, Fn::GetAZs '']`. */
export function availabilityZoneOf(az: AvailabilityZoneSpec): string {
  return az.name ?? Fn.select(az.index, Fn.getAzs());
}

/** The AZ a subnet lives in, resolved through the spec's AZ list. */
export function subnetAvailabilityZone(network: NetworkSpec, subnet: SubnetSpec): string {
  const az = network.availabilityZones.find((a) => a.index === subnet.azIndex);
  if (!az) {
    throw new Error(
      `subnet '${subnet.name}' names AZ index ${subnet.azIndex}, but the spec lists ${network.availabilityZones.length} AZs; regenerate the spec with 'npx projen'`,
    );
  }
  return availabilityZoneOf(az);
}

/** CloudFormation's linter warns on literal AZs; when the spec pins them that is the intent, so say so once per resource. */
export function acknowledgePinnedAz(scope: IConstruct, network: NetworkSpec, subnet: SubnetSpec): void {
  const az = network.availabilityZones.find((a) => a.index === subnet.azIndex);
  if (!az?.name) return;
  acknowledge(scope, {
    id: 'CloudFormation-Validate::W3010',
    reason: `The service options pin availability zone '${az.name}' for ${subnet.name} (network.availabilityZones); the literal AZ is deliberate.`,
  });
}
