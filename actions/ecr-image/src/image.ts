/**
 * The image stage: log in, build, push, resolve the digest, then gate on the
 * ECR scan. Clients, commands, clock and sleep are injected.
 */
import { ECRClient, Repository } from '@aws-sdk/client-ecr';
import { planCache } from './build-cache';
import { BuildPlan, buildAndPush, loginArgv } from './builders';
import { CommandRunner } from './command';
import { ExistingImage, findExistingImage, isTagExistsFailure } from './existing-image';
import { GateResult, SEVERITIES, describeCounts, evaluateFindings, renderGate } from './findings';
import { ImageInputs } from './inputs';
import { RegistryLogin, dockerHubLogin, ecrLogin } from './registry';
import { resolvePushedImage, waitForScan } from './scan';
import { ScanSetup, describeRepository, readScanSetup } from './scan-setup';
import { ActionError, Clock, Random, Runner, Sleep, SummaryWriter, withCommandsStopped } from '../../shared';

/** State names shared with the post step (logout). */
export const STATE = { registry: 'registry', builder: 'builder' } as const;

/** Scan status calls: every 10 s, well inside ECR's DescribeImageScanFindings rate. */
export const SCAN_POLL_INTERVAL_MS = 10_000;

export interface ImageDeps {
  /** Required for registry ecr. */
  readonly ecr?: ECRClient;
  readonly runner: Runner;
  readonly commands: CommandRunner;
  /** A private temp directory for builder metadata. */
  readonly workDir: string;
  /** The environment builders run in (the gha cache needs the runner's ACTIONS_* variables). */
  readonly env: NodeJS.ProcessEnv;
  readonly clock: Clock;
  readonly sleep: Sleep;
  readonly random: Random;
  readonly signal?: AbortSignal;
}

export interface ImageResult {
  readonly imageUri: string;
  readonly digest?: string;
  readonly gate?: GateResult;
}

function needEcr(deps: ImageDeps): ECRClient {
  if (!deps.ecr) throw new ActionError('registry ecr needs an ECR client (internal wiring error)');
  return deps.ecr;
}

/** log in → check the repository (and that something will scan) → build or reuse → confirm the digest → scan gate. */
export async function publishImage(inputs: ImageInputs, deps: ImageDeps): Promise<ImageResult> {
  const { runner } = deps;
  const login = await logIn(inputs, deps);
  const ecr = inputs.registry === 'ecr' && inputs.push ? needEcr(deps) : undefined;
  const repository = ecr ? await describeRepository(ecr, inputs.repository, runner) : undefined;
  const scanSetup = ecr && inputs.threshold !== 'NONE' ? await requireScanning(inputs, ecr, repository, runner) : undefined;

  const refs = inputs.tags.map((tag) => `${login.host}/${inputs.repository}:${tag}`);
  const { reported, existing } = await buildOrReuse(inputs, deps, { login, refs, ecr, repository });
  if (existing) reportReuse(runner, inputs.repository, existing);
  const imageUri = refs[0];
  runner.setOutput('image-uri', imageUri);
  const summary = new SummaryWriter().heading(`Image ${imageUri}`);
  if (!reported) {
    runner.setOutput('digest', '');
    runner.notice(`push is false: ${imageUri} was built but not pushed, so there is no digest and no scan.`);
    await summary.paragraph('Built, not pushed (push: false): no digest, no scan.').write(runner);
    return { imageUri };
  }
  const pushed = ecr ? await resolvePushedImage(ecr, inputs.repository, inputs.tags[0], reported) : { digest: reported, scanDigests: [reported] };
  const { digest, scanDigests } = pushed;
  runner.setOutput('digest', digest);
  runner.info(`${existing ? 'already in ECR' : 'pushed'}: ${refs.join(', ')} as ${digest}`);
  summary.paragraph(existing
    ? `Already in the immutable repository as ${digest} with tags ${inputs.tags.join(', ')}: not rebuilt; the scan gate ran on that image.`
    : `Pushed as ${digest} with tags ${inputs.tags.join(', ')}.`);
  const noGate = noScanGate(inputs);
  if (noGate) {
    runner.notice(noGate.notice);
    await summary.paragraph(noGate.summary).write(runner);
    return { imageUri, digest };
  }
  const gate = await scanGate(inputs, deps, scanDigests, scanSetup);
  await summary.write(runner);
  await reportGate(inputs, runner, imageUri, gate);
  return { imageUri, digest, gate };
}

/** Registry login (the password on stdin); from here on the post step logs out, whatever happens next. */
async function logIn(inputs: ImageInputs, deps: ImageDeps): Promise<RegistryLogin> {
  const login: RegistryLogin = inputs.registry === 'ecr' ? await ecrLogin(needEcr(deps), deps.runner) : dockerHubLogin(inputs.credentials!);
  await deps.commands(loginArgv(inputs.builder, login), { stdin: login.password });
  deps.runner.saveState(STATE.registry, login.host);
  deps.runner.saveState(STATE.builder, inputs.builder);
  return login;
}

/** Pure: why no scan gate runs for these inputs, if none does. */
export function noScanGate(inputs: Pick<ImageInputs, 'registry' | 'threshold'>): { notice: string; summary: string } | undefined {
  if (inputs.registry === 'dockerhub') {
    return {
      notice: 'Docker Hub images are not scanned by this action: no scan gate ran.',
      summary: 'Registry is Docker Hub: this action does not scan Docker Hub images, so no scan gate ran.',
    };
  }
  if (inputs.threshold === 'NONE') {
    return { notice: 'scan-severity-threshold is NONE: the image was pushed without waiting for its scan.', summary: 'scan-severity-threshold is NONE: no scan gate.' };
  }
  return undefined;
}

/** Waits for the scan of every digest (an index's per-platform images too) and judges the findings. */
async function scanGate(inputs: ImageInputs, deps: ImageDeps, scanDigests: readonly string[], scanSetup: ScanSetup | undefined): Promise<GateResult> {
  const threshold = inputs.threshold;
  if (threshold === 'NONE') throw new ActionError('no scan gate runs at scan-severity-threshold NONE (internal wiring error)');
  const findings = [];
  for (const scanDigest of scanDigests) {
    findings.push(...await waitForScan(
      {
        repository: inputs.repository,
        imageDigest: scanDigest,
        timeoutMs: inputs.scanTimeoutMinutes * 60_000,
        intervalMs: SCAN_POLL_INTERVAL_MS,
        scanType: scanSetup?.scanType,
      },
      { ecr: needEcr(deps), runner: deps.runner, clock: deps.clock, sleep: deps.sleep, random: deps.random, signal: deps.signal },
    ));
  }
  return evaluateFindings(findings, threshold, inputs.ignoreCves);
}

/** Outputs and summary of the gate; fails naming the blocking findings. */
async function reportGate(inputs: ImageInputs, runner: Runner, imageUri: string, gate: GateResult): Promise<void> {
  for (const severity of SEVERITIES) runner.setOutput(`findings-${severity.toLowerCase()}`, String(gate.counts[severity]));
  await renderGate(imageUri, gate).write(runner);
  if (gate.counts.UNDEFINED > 0) {
    runner.warning(`${gate.counts.UNDEFINED} finding(s) have no severity yet (UNDEFINED/UNTRIAGED); they do not fail the gate — review them in the job summary.`);
  }
  if (gate.blocking.length > 0) {
    const listed = gate.blocking.slice(0, 10).map((f) => `${f.id} (${f.severity}${f.packageName ? `, ${f.packageName}` : ''})`).join(', ');
    const more = gate.blocking.length > 10 ? ` and ${gate.blocking.length - 10} more` : '';
    throw new ActionError(
      `${imageUri} has ${gate.blocking.length} finding(s) at or above ${inputs.threshold}: ${listed}${more}. Fix them, or list accepted ones under 'ignore-cves'.`,
    );
  }
  runner.info(`scan gate passed at ${inputs.threshold}: ${describeCounts(gate.counts)}`);
}

/** Before building: when nothing will ever scan the image, say so now rather than after scan-timeout-minutes. */
async function requireScanning(inputs: ImageInputs, ecr: ECRClient, repository: Repository | undefined, runner: Runner): Promise<ScanSetup> {
  const setup = await readScanSetup(ecr, inputs.repository, repository, runner);
  if (setup.kind === 'never') throw new ActionError(`the scan gate (threshold ${inputs.threshold}) cannot pass: ${setup.fix}.`);
  runner.info(`the image will be scanned by ${setup.how}`);
  return setup;
}

interface Target {
  readonly login: RegistryLogin;
  /** host/repository:tag for every tag. */
  readonly refs: readonly string[];
  /** Set when pushing to ECR. */
  readonly ecr?: ECRClient;
  /** The ECR repository as described, when it could be read. */
  readonly repository?: Repository;
}

/**
 * The image to report: the one already under these tags in an immutable
 * repository (checked before building, and again when the push is refused
 * because another run pushed them meanwhile), or the one just built and pushed.
 */
async function buildOrReuse(inputs: ImageInputs, deps: ImageDeps, target: Target): Promise<{ reported?: string; existing?: ExistingImage }> {
  const { ecr, repository } = target;
  const before = ecr && repository ? await findExistingImage(ecr, repository, inputs.tags) : undefined;
  if (before) return { reported: before.digest, existing: before };
  const plan: BuildPlan = {
    refs: target.refs,
    dockerfile: inputs.dockerfile,
    context: inputs.context,
    buildArgs: inputs.buildArgs,
    platforms: inputs.platforms,
    push: inputs.push,
    ghaCacheScope: await planCache(inputs.cache, inputs.builder, inputs.repository, deps.commands, deps.runner, deps.env),
    insecure: target.login.insecure,
    workDir: deps.workDir,
  };
  try {
    // A Dockerfile's RUN steps print what they like: none of it may act as a workflow command.
    return { reported: await withCommandsStopped(deps.runner, () => buildAndPush(inputs.builder, plan, deps.commands)) };
  } catch (e) {
    if (!ecr || !isTagExistsFailure(e)) throw e;
    // The error itself says the tags are immutable, even when the repository could not be described.
    const after = await findExistingImage(ecr, repository ?? { repositoryName: inputs.repository, imageTagMutability: 'IMMUTABLE' }, inputs.tags);
    if (!after) throw e;
    return { reported: after.digest, existing: after };
  }
}

/** A re-run for tags already pushed: nothing to build, the existing image is the result. */
function reportReuse(runner: Runner, repository: string, existing: ExistingImage): void {
  runner.notice(`${repository}:${existing.tags.join(', ')} already exists in the immutable repository as ${existing.digest}; reusing it instead of pushing again (a re-run for the same commit), and gating on its scan.`);
}
