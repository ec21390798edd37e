/**
 * veracode-scan: read the inputs, package or read the artifact, run the
 * pipeline scan, write results JSON and SARIF, and decide. Throws on every
 * failure; `main.ts` alone turns that into a failed job.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'fs';
import { basename, dirname, relative, resolve, sep } from 'path';
import { Baseline, FAIL_ON_SEVERITIES, SEVERITIES, evaluate, parseCweList, parseFindingsDocument } from './findings';
import { RequestSigner } from './hmac';
import { packageSourceDirectory } from './package-source';
import { PipelineScanApi } from './pipeline-scan-api';
import { resolveRegion } from './region';
import { buildSummary, findingLine, policyText } from './report';
import { buildSarif } from './sarif';
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

function secretFromInputOrEnv(inputs: Inputs, runner: Runner, env: NodeJS.ProcessEnv, input: string, variable: string): string {
  const fromInput = inputs.secret(input);
  if (fromInput) return fromInput;
  const fromEnv = (env[variable] ?? '').trim();
  if (fromEnv) {
    runner.setSecret(fromEnv);
    return fromEnv;
  }
  throw new InputError(input, `input '${input}' is required (or set ${variable} in the environment), e.g. '${input}: \${{ secrets.${variable} }}'.`);
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
  const inputs = new Inputs(runner);

  // Secrets first, so they are masked before anything else is logged.
  const apiId = secretFromInputOrEnv(inputs, runner, env, 'api-id', 'VERACODE_API_ID');
  const apiKey = secretFromInputOrEnv(inputs, runner, env, 'api-key', 'VERACODE_API_KEY');
  const file = inputs.required('file');
  const failOnSeverity = inputs.enumeration('fail-on-severity', FAIL_ON_SEVERITIES, 'high');
  const failOnCwe = parseCweList(inputs.string('fail-on-cwe', ''));
  const baselineFile = inputs.optional('baseline-file');
  const timeoutMinutes = inputs.integer('timeout-minutes', { default: 30, min: 1, max: 60 });
  const pollIntervalSeconds = inputs.integer('poll-interval-seconds', { default: 10, min: 1, max: 60 });
  const sarifFile = inputs.string('sarif-file', 'veracode-results.sarif');
  const resultsFile = inputs.string('results-file', 'veracode-results.json');
  const region = resolveRegion(apiId, apiKey, inputs.optional('api-base-url'));

  let baseline: Baseline | undefined;
  if (baselineFile) {
    const path = resolve(cwd, baselineFile);
    let document: unknown;
    try {
      document = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new InputError('baseline-file', `baseline-file '${baselineFile}' could not be read as JSON (${path}): ${(error as Error).message}. Use the results file of an earlier scan.`);
    }
    baseline = new Baseline(parseFindingsDocument(document, `baseline-file ${baselineFile}`).findings);
    runner.info(`Baseline ${baselineFile}: ${baseline.size} finding(s) accepted`);
  }

  const artifact = readArtifact(file, cwd, runner, resolve(cwd, env.GITHUB_WORKSPACE ?? cwd));
  if (artifact.bytes.length === 0) throw new InputError('file', `input 'file' names '${file}', which is empty: there is nothing to scan.`);
  if (artifact.bytes.length > MAX_UPLOAD_BYTES) {
    throw new InputError('file', `'${file}' is ${artifact.bytes.length} bytes; a Veracode pipeline scan accepts at most ${MAX_UPLOAD_BYTES} bytes. Scan a smaller artifact.`);
  }

  runner.info(`Veracode ${region.region === 'eu' ? 'EU ' : ''}Pipeline Scan API at ${region.apiBaseUrl}; policy: ${policyText({ failOnSeverity, failOnCwe, baselineFile })}`);
  const signer = new RequestSigner(region.credentials, () => (environment.clock ?? { now: () => Date.now() }).now(), environment.nonce);
  const api = new PipelineScanApi(region.apiBaseUrl, environment.send ?? nodeHttpSend({ userAgent: 'slipway-veracode-scan' }), signer);
  const repository = env.GITHUB_REPOSITORY;
  const outcome = await runPipelineScan(
    { api, clock: environment.clock, sleep: environment.sleep, random: environment.random, signal: environment.signal, log: (m) => runner.info(m) },
    {
      bytes: artifact.bytes,
      binaryName: artifact.name,
      timeoutMs: timeoutMinutes * 60_000,
      pollIntervalMs: pollIntervalSeconds * 1000,
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

  const report = parseFindingsDocument(outcome.findingsDocument, `the findings of scan ${outcome.scanId}`);
  const resultsPath = resolve(cwd, resultsFile);
  const sarifPath = resolve(cwd, sarifFile);
  writeFile(resultsPath, `${JSON.stringify(report.raw, null, 2)}\n`);
  writeFile(sarifPath, `${JSON.stringify(buildSarif(report.findings, { toolVersion: TOOL_VERSION, artifactName: artifact.name, scanId: outcome.scanId, sourceRoot: artifact.sourceRoot }), null, 2)}\n`);

  const evaluation = evaluate(report.findings, { failOnSeverity, failOnCwe, baseline });
  for (const s of SEVERITIES) runner.setOutput(`${s.name}-count`, String(evaluation.counts[s.name]));
  runner.setOutput('blocking-count', String(evaluation.blocking.length));
  runner.setOutput('results-file', resultsFile);
  runner.setOutput('sarif-file', sarifFile);
  const reportInput = { scanId: outcome.scanId, binaryName: artifact.name, evaluation, failOnSeverity, failOnCwe, baselineFile, sarifFile };
  await buildSummary({ ...reportInput, resultsFile }).write(runner);

  runner.info(`Scan ${outcome.scanId}: ${report.findings.length} finding(s), ${evaluation.baselined.length} in the baseline, ${evaluation.blocking.length} failing the job`);
  for (const [i, f] of evaluation.blocking.entries()) {
    const line = findingLine(f);
    if (i < ANNOTATED) runner.error(line, f.location ? { title: `Veracode CWE-${f.cwe}`, file: f.location.file, line: f.location.line } : { title: `Veracode CWE-${f.cwe}` });
    else runner.info(line);
  }
  if (evaluation.blocking.length > 0) {
    throw new ActionError(`${evaluation.blocking.length} Veracode finding(s) at or above '${failOnSeverity}' remain after the baseline and CWE filters (scan ${outcome.scanId}); they are listed above and in the job summary.`);
  }
  return { scanId: outcome.scanId, blocking: 0 };
}
