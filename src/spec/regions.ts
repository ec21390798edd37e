/**
 * AWS regions and availability zone names, checked against the region facts
 * aws-cdk-lib ships (aws-cdk-lib/region-info): a region CDK does not know
 * would first fail at `cdk bootstrap`, after it was written into every
 * workflow, inventory and scrape config.
 */
// region-info is a plain data table (no constructs, no I/O), so the spec stays pure with it.
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { Problems, quote } from './problems';
import { addMissing, nearest } from './read';

/** Every region aws-cdk-lib has facts for, each with its partition (aws, aws-cn, aws-us-gov, …). */
export const KNOWN_REGIONS: readonly string[] = RegionInfo.regions
  .filter((region) => region.partition !== undefined)
  .map((region) => region.name)
  .sort();

/** An AZ name is its region's code followed by one letter identifier, e.g. 'us-east-2a'. */
// https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-availability-zones.html
const AZ_NAME = /^(.+)([a-z])$/;
/** An AZ ID such as 'euw1-az1': the same place in every account, but not what a VPC subnet is given by name. */
const AZ_ID = /^[a-z]{3,5}\d+-az\d+$/;

export function isKnownRegion(name: string): boolean {
  return KNOWN_REGIONS.includes(name);
}

/** A region the user may have meant: the nearest known name, or undefined when nothing is close. */
export function nearestRegion(name: string): string | undefined {
  return nearest(name, KNOWN_REGIONS);
}

/** Reads the required region: a string naming a region aws-cdk-lib knows. */
export function readRegion(problems: Problems, path: string, value: unknown): string | undefined {
  if (value === undefined) {
    addMissing(problems, path, "'eu-west-1'");
    return undefined;
  }
  if (typeof value !== 'string') {
    problems.add(path, `expected an AWS region name such as 'eu-west-1', got ${quote(value)}`);
    return undefined;
  }
  if (isKnownRegion(value)) return value;
  const near = nearestRegion(value.trim().toLowerCase());
  const hint = near
    ? `did you mean '${near}'?`
    : "use a region aws-cdk-lib knows (aws-cdk-lib/region-info), e.g. 'eu-west-1'; " +
      'a region launched after the installed aws-cdk-lib release needs a newer aws-cdk-lib';
  problems.add(path, `${quote(value)} is not an AWS region; ${hint}`);
  return undefined;
}

/**
 * Checks one pinned AZ name: the region's code plus one letter, in the service's region.
 * `region` is undefined when the region itself was rejected; the name is then checked on its own.
 */
export function readAzName(problems: Problems, path: string, value: unknown, region: string | undefined): string | undefined {
  const example = `'${region ?? 'eu-west-1'}a'`;
  if (typeof value !== 'string') {
    problems.add(path, `expected an availability zone name such as ${example}, got ${quote(value)}`);
    return undefined;
  }
  if (AZ_ID.test(value)) {
    problems.add(path, `${quote(value)} is an AZ ID; give the AZ name instead (the region code and a letter, e.g. ${example})`);
    return undefined;
  }
  const parent = KNOWN_REGIONS.find((known) => value.startsWith(`${known}-`));
  if (parent) {
    // A Local Zone (e.g. 'us-west-2-lax-1a') hangs off its parent region but offers few services; the tiers need AZs.
    problems.add(path, `${quote(value)} is a Local or Wavelength Zone of '${parent}', not an availability zone; use an AZ such as '${region ?? parent}a'`);
    return undefined;
  }
  const match = AZ_NAME.exec(value);
  const azRegion = match?.[1];
  if (!match || !azRegion || !isKnownRegion(azRegion)) {
    const near = azRegion ? nearestRegion(azRegion) : undefined;
    const fix = near && match ? `'${near}${match[2]}'` : example;
    problems.add(path, `${quote(value)} is not an availability zone name (a region code followed by one letter); did you mean ${fix}?`);
    return undefined;
  }
  if (region !== undefined && azRegion !== region) {
    problems.add(path, `${quote(value)} is in region '${azRegion}', not the service's region '${region}'; use '${region}${match[2]}'`);
    return undefined;
  }
  return value;
}
