/**
 * Will anything scan an image pushed to this repository, and with which scan
 * type? From the registry scanning configuration (scan type and rules) and the
 * repository's own scan-on-push flag. Pure decision plus the two reads.
 */
import {
  DescribeRepositoriesCommand,
  ECRClient,
  GetRegistryScanningConfigurationCommand,
  RegistryScanningConfiguration,
  Repository,
} from '@aws-sdk/client-ecr';
import { ActionError, Runner, awsCallError } from '../../shared';

export type ScanType = 'BASIC' | 'ENHANCED';

export type ScanSetup =
  /** Something will scan the image; `scanType` undefined when the registry configuration could not be read. */
  | { readonly kind: 'will-scan'; readonly scanType?: ScanType; readonly how: string }
  | { readonly kind: 'never'; readonly scanType: ScanType; readonly fix: string };

/**
 * ECR's repository filter rule: a filter without '*' matches every repository
 * name containing it; with '*', the wildcard stands for zero or more characters
 * of the whole name.
 * https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning-enhanced-enabling.html
 */
export function filterMatches(filter: string, name: string): boolean {
  if (!filter.includes('*')) return name.includes(filter);
  const pattern = filter.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${pattern}$`).test(name);
}

/** Which frequencies scan a freshly pushed image, per scan type (RegistryScanningRule in the ECR API reference). */
const SCANNING_FREQUENCIES: Readonly<Record<ScanType, readonly string[]>> = {
  BASIC: ['SCAN_ON_PUSH'],
  ENHANCED: ['SCAN_ON_PUSH', 'CONTINUOUS_SCAN'],
};

/**
 * Decide from the registry configuration and the repository's scanOnPush. No
 * configuration means BASIC with no rules (the documented default). The
 * repository-level scanOnPush counts for basic scanning only; undefined means
 * it could not be read, which is never taken as "off".
 */
export function planScanSetup(
  registry: RegistryScanningConfiguration | undefined,
  repository: string,
  repositoryScanOnPush: boolean | undefined,
): ScanSetup {
  const scanType: ScanType = registry?.scanType === 'ENHANCED' ? 'ENHANCED' : 'BASIC';
  const rule = (registry?.rules ?? []).find((r) =>
    SCANNING_FREQUENCIES[scanType].includes(r.scanFrequency ?? '')
    && (r.repositoryFilters ?? []).some((f) => f.filter !== undefined && filterMatches(f.filter, repository)));
  if (rule) {
    const filter = rule.repositoryFilters!.find((f) => filterMatches(f.filter!, repository))!.filter;
    return { kind: 'will-scan', scanType, how: `${scanType.toLowerCase()} scanning, registry rule ${rule.scanFrequency} with filter '${filter}'` };
  }
  if (scanType === 'BASIC' && repositoryScanOnPush !== false) {
    return { kind: 'will-scan', scanType, how: repositoryScanOnPush ? 'basic scanning, scan on push set on the repository' : 'basic scanning, the repository\'s scan on push not known' };
  }
  const fix = scanType === 'BASIC'
    ? `nothing will scan images in '${repository}': the registry uses basic scanning with no SCAN_ON_PUSH rule matching it, and scan on push is off for the repository. Turn on scan on push for '${repository}' (ECR → Private registry → Settings → Scanning, a SCAN_ON_PUSH rule with a filter matching '${repository}'; or imageScanOnPush on the repository), or set 'scan-severity-threshold: NONE'`
    : `nothing will scan images in '${repository}': the registry uses enhanced scanning and no SCAN_ON_PUSH or CONTINUOUS_SCAN rule has a filter matching it. Add a filter matching '${repository}' to a rule (ECR → Private registry → Settings → Scanning), or set 'scan-severity-threshold: NONE'`;
  return { kind: 'never', scanType, fix };
}

function isAccessDenied(error: unknown): boolean {
  const name = (error as { name?: string } | null)?.name ?? '';
  return name === 'AccessDeniedException' || name === 'AccessDenied' || name === 'UnauthorizedOperation';
}

/**
 * The repository as DescribeRepositories reports it (tag mutability, scan on push);
 * undefined, with a warning, when the role may not read it.
 */
export async function describeRepository(ecr: ECRClient, repository: string, runner: Pick<Runner, 'warning'>): Promise<Repository | undefined> {
  let answer;
  try {
    answer = await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [repository] }));
  } catch (e) {
    if (!isAccessDenied(e)) throw awsCallError('ECR DescribeRepositories', e);
    runner.warning(`cannot describe repository '${repository}' (${(e as Error).name}); grant ecr:DescribeRepositories to the role so an existing immutable tag is found before building and scan on push is known.`);
    return undefined;
  }
  const found = answer.repositories?.find((r) => r.repositoryName === repository);
  if (!found) throw new ActionError(`ECR DescribeRepositories returned no repository '${repository}'; create it (the access stack does) or fix 'repository'`);
  return found;
}

/**
 * Reads the registry scanning configuration. Without permission to read it the
 * scan type is unknown: the gate then waits (never passes) and says what to grant.
 */
export async function readScanSetup(ecr: ECRClient, repository: string, described: Repository | undefined, runner: Pick<Runner, 'warning'>): Promise<ScanSetup> {
  let registry: RegistryScanningConfiguration | undefined;
  try {
    registry = (await ecr.send(new GetRegistryScanningConfigurationCommand({}))).scanningConfiguration;
  } catch (e) {
    if (!isAccessDenied(e)) throw awsCallError('ECR GetRegistryScanningConfiguration', e);
    runner.warning(`cannot read the registry scanning configuration (${(e as Error).name}); grant ecr:GetRegistryScanningConfiguration to the role so the gate knows the scan type and can fail at once when nothing scans '${repository}'. Waiting for a scan anyway.`);
    return { kind: 'will-scan', how: 'scan type unknown (registry scanning configuration not readable)' };
  }
  return planScanSetup(registry, repository, described ? (described.imageScanningConfiguration?.scanOnPush ?? false) : undefined);
}
