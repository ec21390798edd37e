/** The deploy action's inputs, parsed and validated before any AWS call. */
import { InputError, Inputs, KeyValue } from '../../shared';

/** CodePipeline accepts at most 50 variables per execution. */
const MAX_VARIABLES = 50;

export interface SourceUpload {
  readonly file: string;
  readonly bucket: string;
  readonly key: string;
}

export interface DeployInputs {
  readonly pipelineName: string;
  readonly variables: readonly KeyValue[];
  readonly source?: SourceUpload;
  readonly wait: boolean;
  readonly timeoutMinutes: number;
  readonly pollIntervalSeconds: number;
  readonly supersededIsSuccess: boolean;
  readonly stopOnCancel: boolean;
  /** The job's matrix (`toJSON(matrix)`, 'null' outside one), so matrix legs get distinct start tokens. @default 'null' */
  readonly matrix: string;
  /** The GitHub environment to record the deployment in. @default - no deployment is recorded */
  readonly environment?: string;
  /** The token that records it (needs `deployments: write`). */
  readonly githubToken?: string;
}

/** GitHub environment names: up to 255 characters, no control characters (the Environments API's rule). */
function readEnvironment(inputs: Inputs): { environment?: string; githubToken?: string } {
  const environment = inputs.optional('environment');
  if (environment === undefined) return {};
  if (environment.length > 255 || /[\u0000-\u001f]/.test(environment)) {
    throw new InputError('environment', `input 'environment' must be a GitHub environment name of at most 255 characters on one line; got '${environment.slice(0, 60)}'.`);
  }
  const githubToken = inputs.secret('github-token', { required: true });
  return { environment, githubToken };
}

/** source-file, source-bucket and source-key come as a set or not at all. */
function readSource(inputs: Inputs): SourceUpload | undefined {
  const given = {
    'source-file': inputs.optional('source-file'),
    'source-bucket': inputs.optional('source-bucket'),
    'source-key': inputs.optional('source-key'),
  };
  const missing = Object.entries(given).filter(([, v]) => v === undefined).map(([k]) => k);
  if (missing.length === 3) return undefined;
  if (missing.length > 0) {
    const set = Object.keys(given).filter((k) => !missing.includes(k));
    throw new InputError(missing[0], `inputs ${set.map((k) => `'${k}'`).join(' and ')} need ${missing.map((k) => `'${k}'`).join(' and ')} as well: an S3 source upload needs the file, the bucket and the key.`);
  }
  return { file: given['source-file']!, bucket: given['source-bucket']!, key: given['source-key']! };
}

/** Pipeline names: 1–100 of A-Z a-z 0-9 . @ - _ (the CodePipeline API's own rule). */
function readPipelineName(inputs: Inputs): string {
  const name = inputs.required('pipeline-name');
  if (!/^[A-Za-z0-9.@\-_]{1,100}$/.test(name)) {
    throw new InputError('pipeline-name', `input 'pipeline-name' must be 1 to 100 letters, digits, '.', '@', '-' or '_'; got '${name}'.`);
  }
  return name;
}

export function readDeployInputs(inputs: Inputs): DeployInputs {
  const variables = inputs.keyValues('variables', {
    namePattern: /^[A-Za-z0-9@\-_]+$/,
    nameDescription: 'letters, digits, @, - and _',
    minValueLength: 1,
    maxValueLength: 1000,
  });
  if (variables.length > MAX_VARIABLES) {
    throw new InputError('variables', `input 'variables' has ${variables.length} lines; CodePipeline accepts at most ${MAX_VARIABLES} variables per execution.`);
  }
  return {
    pipelineName: readPipelineName(inputs),
    variables,
    source: readSource(inputs),
    wait: inputs.boolean('wait', true),
    timeoutMinutes: inputs.integer('timeout-minutes', { default: 60, min: 1, max: 4320 }),
    pollIntervalSeconds: inputs.integer('poll-interval-seconds', { default: 15, min: 1, max: 3600 }),
    supersededIsSuccess: inputs.boolean('superseded-is-success', false),
    stopOnCancel: inputs.boolean('stop-on-cancel', true),
    matrix: inputs.string('matrix', 'null'),
    ...readEnvironment(inputs),
  };
}
