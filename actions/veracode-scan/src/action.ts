/**
 * veracode-scan: read the inputs → package or read the artifact → run the
 * pipeline scan → write results JSON and SARIF → report and decide. Throws on every
 * failure; `main.ts` alone turns that into a failed job.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'fs';
import { basename, dirname, relative, resolve, sep } from 'path';
import { SEVERITIES, evaluate, parseFindingsDocument } from './findings';
import { RequestSigner } from './hmac';
import { VeracodeInputs, readVeracodeInputs } from './inputs';
import { packageSourceDirectory } from './package-source';
import { PipelineScanApi } from './pipeline-scan-api';
import { buildSummary, findingLine, policyText } from './report';
import { buildSarif, repositoryPath } from './sarif';
import { runPipelineScan } from './scan';
import { ActionError, InputError } from '../../shared/errors';
import { HttpSend, nodeHttpSend } from '../../shared/http';
import { Inputs } from '../../shared/inputs';
import { Runner } from '../../shared/runner';
import { Clock, Random, Sleep } from '../../shared/time';

/** Veracode's limit for a pipeline scan upload. */
export const MAX_UPLOAD_BYTES = 200 * 1024 * 1024;
const TOOL_VERSION = '1.0.0';
/** Findings annotated on the run page; the summary and files list them all. */
const ANNOTATED = 10;

export interface VeracodeScanEnvironment {
  readonly runner: Runner;
  /** Process environment: credentials fallbacks and the GITHUB_* context. */
  readonly env: NodeJS.ProcessEnv;
  /** Relative paths are resolved here. @default process.cwd() */
  readonly cwd?: string;
  /** @default nodeHttpSend() */
  readonly send?: HttpSend;
  readonly clock?: Clock;
  readonly sleep?: Sleep;
  readonly random?: Random;
  /** Nonce source for request signing. */
  readonly nonce?: () => string;
  readonly signal?: AbortSignal;
}

export interface VeracodeScanResult {
  readonly scanId: string;
  readonly blocking: number;
}

/** `sourceRoot`: a packaged directory relative to the repository root (GITHUB_WORKSPACE, else cwd). */
function readArtifact(path: string, cwd: string, runner: Runner, repoRoot: string): { bytes: Uint8Array; name: string; sourceRoot?: string } {
  const full = resolve(cwd, path);
  if (!existsSync(full)) {
    throw new InputError('file', `input 'file' names '${path}', which does not exist (looked at ${full}). Build the artifact first, or point file at the source directory.`);
  }
  if (statSync(full).isDirectory()) {
    const pkg = packageSourceDirectory(full);
    runner.info(`Packaged ${pkg.files.length} source files from ${path} (${pkg.bytes.length} bytes zipped; node_modules, tests and build outputs left out)`);
    return { bytes: pkg.bytes, name: `${basename(full) || 'source'}.zip`, sourceRoot: relative(repoRoot, full).split(sep).join('/') };
  }
  return { bytes: readFileSync(full), name: basename(full) };
}

function writeFile(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text, 'utf8');
}

export async function runVeracodeScan(environment: VeracodeScanEnvironment): Promise<VeracodeScanResult> {
  const { runner, env } = environment;
  const cwd = environment.cwd ?? process.cwd();
  const inputs = readVeracodeInputs(new Inputs(runner), runner, env, cwd);
  if (inputs.baseline) runner.info(`Baseline ${inputs.baselineFile}: ${inputs.baseline.size} finding(s) accepted`);
  const artifact = checkedArtifact(inputs.file, cwd, runner, resolve(cwd, env.GITHUB_WORKSPACE ?? cwd));
  const outcome = await scan(inputs, environment, artifact);
  const report = parseFindingsDocument(outcome.findingsDocument, `the findings of scan ${outcome.scanId}`);
  writeResults(inputs, cwd, report, artifact, outcome.scanId);
  const evaluation = evaluate(report.findings, { failOnSeverity: inputs.failOnSeverity, failOnCwe: inputs.failOnCwe, baseline: inputs.baseline });
  await reportFindings(inputs, runner, { scanId: outcome.scanId, artifact, total: report.findings.length, evaluation });
  if (evaluation.blocking.length > 0) {
    throw new ActionError(
      `${evaluation.blocking.length} Veracode finding(s) at or above '${inputs.failOnSeverity}' remain after the baseline and CWE filters (scan ${outcome.scanId}); `
      + 'they are listed above and in the job summary.',
    );
  }
  return { scanId: outcome.scanId, blocking: 0 };
}

type Artifact = ReturnType<typeof readArtifact>;

function checkedArtifact(file: string, cwd: string, runner: Runner, repoRoot: string): Artifact {
  const artifact = readArtifact(file, cwd, runner, repoRoot);
  if (artifact.bytes.length === 0) throw new InputError('file', `input 'file' names '${file}', which is empty: there is nothing to scan.`);
  if (artifact.bytes.length > MAX_UPLOAD_BYTES) {
    throw new InputError('file', `'${file}' is ${artifact.bytes.length} bytes; a Veracode pipeline scan accepts at most ${MAX_UPLOAD_BYTES} bytes. Scan a smaller artifact.`);
  }
  return artifact;
}

type ScanOutcome = Awaited<ReturnType<typeof runPipelineScan>>;

async function scan(inputs: VeracodeInputs, environment: VeracodeScanEnvironment, artifact: Artifact): Promise<ScanOutcome> {
  const { runner, env } = environment;
  const { region, failOnSeverity, failOnCwe, baselineFile } = inputs;
  runner.info(`Veracode ${region.region === 'eu' ? 'EU ' : ''}Pipeline Scan API at ${region.apiBaseUrl}; policy: ${policyText({ failOnSeverity, failOnCwe, baselineFile })}`);
  const signer = new RequestSigner(region.credentials, () => (environment.clock ?? { now: () => Date.now() }).now(), environment.nonce);
  const api = new PipelineScanApi(region.apiBaseUrl, environment.send ?? nodeHttpSend({ userAgent: 'slipway-veracode-scan' }), signer);
  const repository = env.GITHUB_REPOSITORY;
  return runPipelineScan(
    { api, clock: environment.clock, sleep: environment.sleep, random: environment.random, signal: environment.signal, log: (m) => runner.info(m) },
    {
      bytes: artifact.bytes,
      binaryName: artifact.name,
      timeoutMs: inputs.timeoutMinutes * 60_000,
      pollIntervalMs: inputs.pollIntervalSeconds * 1000,
      onScanId: (id) => runner.setOutput('scan-id', id),
      project: {
        projectName: repository,
        projectUri: repository ? `${env.GITHUB_SERVER_URL ?? 'https://github.com'}/${repository}` : undefined,
        projectRef: env.GITHUB_REF_NAME,
        commitHash: env.GITHUB_SHA,
        devStage: 'DEVELOPMENT',
      },
    },
  );
}

type FindingsReport = ReturnType<typeof parseFindingsDocument>;

function writeResults(inputs: VeracodeInputs, cwd: string, report: FindingsReport, artifact: Artifact, scanId: string): void {
  writeFile(resolve(cwd, inputs.resultsFile), `${JSON.stringify(report.raw, null, 2)}\n`);
  const sarif = buildSarif(report.findings, { toolVersion: TOOL_VERSION, artifactName: artifact.name, scanId, sourceRoot: artifact.sourceRoot });
  writeFile(resolve(cwd, inputs.sarifFile), `${JSON.stringify(sarif, null, 2)}\n`);
}

interface ScanReport {
  readonly scanId: string;
  readonly artifact: Artifact;
  readonly total: number;
  readonly evaluation: ReturnType<typeof evaluate>;
}

/** Outputs, the summary, and an annotation per blocking finding (the first ANNOTATED), at its repository path. */
async function reportFindings(inputs: VeracodeInputs, runner: Runner, scanned: ScanReport): Promise<void> {
  const { scanId, artifact, evaluation } = scanned;
  const { failOnSeverity, failOnCwe, baselineFile, sarifFile, resultsFile } = inputs;
  for (const s of SEVERITIES) runner.setOutput(`${s.name}-count`, String(evaluation.counts[s.name]));
  runner.setOutput('blocking-count', String(evaluation.blocking.length));
  runner.setOutput('results-file', resultsFile);
  runner.setOutput('sarif-file', sarifFile);
  const summary = buildSummary({ scanId, binaryName: artifact.name, evaluation, failOnSeverity, failOnCwe, baselineFile, sarifFile, resultsFile });
  await summary.write(runner);
  runner.info(`Scan ${scanId}: ${scanned.total} finding(s), ${evaluation.baselined.length} in the baseline, ${evaluation.blocking.length} failing the job`);
  for (const [i, f] of evaluation.blocking.entries()) {
    const line = findingLine(f);
    const title = `Veracode CWE-${f.cwe}`;
    if (i >= ANNOTATED) runner.info(line);
    else runner.error(line, f.location ? { title, file: repositoryPath(artifact.sourceRoot, f.location.file), line: f.location.line } : { title });
  }
}
