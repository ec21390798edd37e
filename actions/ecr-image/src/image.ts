/**
 * The image stage: log in, build, push, resolve the digest, then gate on the
 * ECR scan. Clients, commands, clock and sleep are injected.
 */
import { ECRClient } from '@aws-sdk/client-ecr';
import { BuildPlan, buildAndPush, loginArgv } from './builders';
import { CommandRunner } from './command';
import { GateResult, SEVERITIES, describeCounts, evaluateFindings, renderGate } from './findings';
import { ImageInputs } from './inputs';
import { RegistryLogin, dockerHubLogin, ecrLogin } from './registry';
import { resolvePushedImage, waitForScan } from './scan';
import { ActionError, Clock, Random, Runner, Sleep, SummaryWriter } from '../../shared';

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

export async function publishImage(inputs: ImageInputs, deps: ImageDeps): Promise<ImageResult> {
  const { runner } = deps;
  const login: RegistryLogin = inputs.registry === 'ecr' ? await ecrLogin(needEcr(deps), runner) : dockerHubLogin(inputs.credentials!);
  await deps.commands(loginArgv(inputs.builder, login), { stdin: login.password });
  // From here on the post step logs out, whatever happens next.
  runner.saveState(STATE.registry, login.host);
  runner.saveState(STATE.builder, inputs.builder);

  const repositoryRef = `${login.host}/${inputs.repository}`;
  const plan: BuildPlan = {
    refs: inputs.tags.map((tag) => `${repositoryRef}:${tag}`),
    dockerfile: inputs.dockerfile,
    context: inputs.context,
    buildArgs: inputs.buildArgs,
    platforms: inputs.platforms,
    push: inputs.push,
    cacheRef: inputs.builder === 'docker' ? `${repositoryRef}:buildcache` : undefined,
    insecure: login.insecure,
    workDir: deps.workDir,
  };
  const reported = await buildAndPush(inputs.builder, plan, deps.commands);
  const imageUri = plan.refs[0];
  runner.setOutput('image-uri', imageUri);
  const summary = new SummaryWriter().heading(`Image ${imageUri}`);

  if (!reported) {
    runner.setOutput('digest', '');
    runner.notice(`push is false: ${imageUri} was built but not pushed, so there is no digest and no scan.`);
    summary.paragraph('Built, not pushed (push: false): no digest, no scan.').write(runner);
    return { imageUri };
  }

  let digest = reported;
  let scanDigests: readonly string[] = [reported];
  if (inputs.registry === 'ecr') ({ digest, scanDigests } = await resolvePushedImage(needEcr(deps), inputs.repository, inputs.tags[0], reported));
  runner.setOutput('digest', digest);
  runner.info(`pushed ${plan.refs.join(', ')} as ${digest}`);
  summary.paragraph(`Pushed as ${digest} with tags ${inputs.tags.join(', ')}.`);

  if (inputs.registry === 'dockerhub') {
    runner.notice('Docker Hub images are not scanned by this action: no scan gate ran.');
    summary.paragraph('Registry is Docker Hub: this action does not scan Docker Hub images, so no scan gate ran.').write(runner);
    return { imageUri, digest };
  }
  if (inputs.threshold === 'NONE') {
    runner.notice('scan-severity-threshold is NONE: the image was pushed without waiting for its scan.');
    summary.paragraph('scan-severity-threshold is NONE: no scan gate.').write(runner);
    return { imageUri, digest };
  }

  const findings = [];
  for (const scanDigest of scanDigests) {
    findings.push(...await waitForScan(
      { repository: inputs.repository, imageDigest: scanDigest, timeoutMs: inputs.scanTimeoutMinutes * 60_000, intervalMs: SCAN_POLL_INTERVAL_MS },
      { ecr: needEcr(deps), runner, clock: deps.clock, sleep: deps.sleep, random: deps.random, signal: deps.signal },
    ));
  }
  const gate = evaluateFindings(findings, inputs.threshold, inputs.ignoreCves);
  for (const severity of SEVERITIES) runner.setOutput(`findings-${severity.toLowerCase()}`, String(gate.counts[severity]));
  summary.write(runner);
  renderGate(imageUri, gate).write(runner);
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
  return { imageUri, digest, gate };
}
