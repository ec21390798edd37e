/**
 * How Slipway runs the CDK CLI offline, in one place: the main task and the
 * generated workflows synthesize the same way.
 */

/** `cdk synth` arguments without lookups, notices or version reporting: no AWS credentials, no network. */
export const OFFLINE_SYNTH_ARGS: readonly string[] = ['synth', '--quiet', '--no-notices', '--no-version-reporting', '--no-lookups'];

/** The same synth as one command line, for workflow steps. */
export const OFFLINE_SYNTH_COMMAND = `cdk ${OFFLINE_SYNTH_ARGS.join(' ')}`;

/** Stops the CDK CLI from calling home during synth (telemetry, version checks). */
export const OFFLINE_CDK_ENV: Readonly<Record<string, string>> = { CDK_DISABLE_VERSION_CHECK: 'true', CDK_DISABLE_CLI_TELEMETRY: 'true' };
