/**
 * Third-party actions the generated jobs use, modelled from their documented behaviour (they cannot
 * be fetched at test time). Each model returns the outputs, the masks and the environment the real
 * action produces; only what a later step or a job output can observe is modelled.
 */

export interface StepEffect {
  readonly outputs: Record<string, string>;
  /** Values the step registers with ::add-mask:: (core.setSecret). */
  readonly secrets: readonly string[];
  /** Variables the step exports to later steps (GITHUB_ENV). */
  readonly env: Record<string, string>;
}

export type ActionModel = (inputs: Readonly<Record<string, string>>) => StepEffect | Promise<StepEffect>;

/** YAML 1.2 core booleans, as @actions/core getBooleanInput reads them; anything else is the action's TypeError. */
function booleanInput(inputs: Readonly<Record<string, string>>, name: string): boolean {
  const value = inputs[name] ?? '';
  if (['true', 'True', 'TRUE'].includes(value)) return true;
  if (['false', 'False', 'FALSE', ''].includes(value)) return false;
  throw new TypeError(`Input does not meet YAML 1.2 "Core Schema" specification: ${name}`);
}

export interface AssumedRole {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly account: string;
  readonly arn: string;
}

/**
 * aws-actions/configure-aws-credentials v6 (src/helpers.ts exportCredentials / exportAccountId): masks
 * the access key id, secret key and session token; masks the account id and the caller ARN only when
 * mask-aws-account-id is true (off by default); outputs aws-account-id and authenticated-arn; exports the
 * credentials and the region to later steps (output-env-credentials defaults to true).
 */
export function configureAwsCredentials(assume: (roleArn: string, durationSeconds: number) => AssumedRole): ActionModel {
  return (inputs) => {
    const role = inputs['role-to-assume'] ?? '';
    if (!/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/.test(role)) {
      throw new Error(`configure-aws-credentials: role-to-assume is '${role}', not a role ARN (is the repository variable set?)`);
    }
    const region = inputs['aws-region'] ?? '';
    if (!region) throw new Error('configure-aws-credentials: Region is not valid');
    const duration = Number(inputs['role-duration-seconds'] || 3600);
    const creds = assume(role, duration);
    const secrets = [creds.accessKeyId, creds.secretAccessKey, creds.sessionToken];
    if (booleanInput(inputs, 'mask-aws-account-id')) secrets.push(creds.account, creds.arn);
    return {
      outputs: { 'aws-account-id': creds.account, 'authenticated-arn': creds.arn },
      secrets,
      env: {
        AWS_ACCESS_KEY_ID: creds.accessKeyId,
        AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
        AWS_SESSION_TOKEN: creds.sessionToken,
        AWS_REGION: region,
        AWS_DEFAULT_REGION: region,
      },
    };
  };
}

/** actions/checkout: the test prepares the workspace itself; the step masks nothing a job output could carry. */
export const checkout: ActionModel = () => ({ outputs: {}, secrets: [], env: {} });

/** docker/setup-buildx-action: creates a docker-container builder; outputs its name and driver, masks nothing. */
export const setupBuildx: ActionModel = (inputs) => ({
  outputs: { name: 'builder-slipway-test', driver: inputs.driver || 'docker-container' },
  secrets: [],
  env: {},
});
