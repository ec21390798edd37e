/** The veracode-scan action's inputs, parsed, checked and (the credentials) masked before any request. */
import { readFileSync } from 'fs';
import { resolve } from 'path';
import { Baseline, FAIL_ON_SEVERITIES, FailOnSeverity, parseCweList, parseFindingsDocument } from './findings';
import { ResolvedRegion, resolveRegion } from './region';
import { InputError } from '../../shared/errors';
import { Inputs } from '../../shared/inputs';
import { Runner } from '../../shared/runner';

export interface VeracodeInputs {
  readonly region: ResolvedRegion;
  readonly file: string;
  readonly failOnSeverity: FailOnSeverity;
  readonly failOnCwe: ReturnType<typeof parseCweList>;
  readonly baselineFile?: string;
  readonly baseline?: Baseline;
  readonly timeoutMinutes: number;
  readonly pollIntervalSeconds: number;
  readonly sarifFile: string;
  readonly resultsFile: string;
}

function secretFromInputOrEnv(inputs: Inputs, runner: Pick<Runner, 'setSecret'>, env: NodeJS.ProcessEnv, input: string, variable: string): string {
  const fromInput = inputs.secret(input);
  if (fromInput) return fromInput;
  const fromEnv = (env[variable] ?? '').trim();
  if (fromEnv) {
    runner.setSecret(fromEnv);
    return fromEnv;
  }
  throw new InputError(input, `input '${input}' is required (or set ${variable} in the environment), e.g. '${input}: \${{ secrets.${variable} }}'.`);
}

function readBaseline(baselineFile: string, cwd: string): Baseline {
  const path = resolve(cwd, baselineFile);
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new InputError('baseline-file', `baseline-file '${baselineFile}' could not be read as JSON (${path}): ${(error as Error).message}. Use the results file of an earlier scan.`);
  }
  return new Baseline(parseFindingsDocument(document, `baseline-file ${baselineFile}`).findings);
}

export function readVeracodeInputs(inputs: Inputs, runner: Pick<Runner, 'setSecret'>, env: NodeJS.ProcessEnv, cwd: string): VeracodeInputs {
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
  const baseline = baselineFile ? readBaseline(baselineFile, cwd) : undefined;
  return { region, file, failOnSeverity, failOnCwe, baselineFile, baseline, timeoutMinutes, pollIntervalSeconds, sarifFile, resultsFile };
}
