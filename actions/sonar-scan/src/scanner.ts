/**
 * Running the SonarScanner for JavaScript (`@sonar/scan`). It is resolved at
 * run time from the workspace's node_modules (the Slipway template pins it as
 * a devDependency, so `npm ci` installs it), not bundled: the scanner's
 * version then follows the repository's lock file, and it runs in its own
 * Node process, where NODE_EXTRA_CA_CERTS takes effect. The token travels in
 * SONAR_TOKEN, never in argv; arguments are an array, never a shell string.
 */
import { spawn } from 'child_process';
import { readFileSync } from 'fs';
import { createRequire } from 'module';
import { dirname, join } from 'path';
import { ActionError } from '../../shared/errors';

export const SCANNER_PACKAGE = '@sonar/scan';

export interface ScannerInvocation {
  /** The Node binary to run the scanner with. */
  readonly node: string;
  /** The scanner's bin script. */
  readonly script: string;
  readonly args: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

export interface ScannerSettings {
  /** Given only when the host-url input is: otherwise the scanner's own configuration decides. */
  readonly hostUrl?: string;
  readonly token: string;
  readonly projectKey?: string;
  readonly organization?: string;
  /** From the args input, already split and checked. */
  readonly extraArgs: readonly string[];
  /** Path of a PEM file the scanner's Node process trusts in addition to its roots. */
  readonly caFile?: string;
}

/** The scanner's bin script, resolved from `cwd` the way `npx sonar` would find it. */
export function resolveScanner(cwd: string): string {
  const requireFrom = createRequire(join(cwd, 'package.json'));
  let manifestPath: string;
  try {
    manifestPath = requireFrom.resolve(`${SCANNER_PACKAGE}/package.json`);
  } catch {
    throw new ActionError(
      `${SCANNER_PACKAGE} is not installed under ${cwd}: run 'npm ci' before this step (the Slipway template lists it in devDependencies), ` +
        'or set run-scanner: false if the build already ran a scanner.',
    );
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin?: string | Record<string, string> };
  const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin?.['sonar-scanner'] ?? manifest.bin?.sonar ?? Object.values(manifest.bin ?? {})[0];
  if (!bin) throw new ActionError(`${manifestPath} names no bin script; reinstall ${SCANNER_PACKAGE}.`);
  return join(dirname(manifestPath), bin);
}

/**
 * What the scanner (third-party code with plugins) must not inherit: the action's inputs
 * (INPUT_TOKEN among them), the runner's token for the cache and artifact services, and the
 * OIDC token request pair, with which any code could mint an id token for this job.
 * https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect
 */
export function withheldFromScanner(name: string): boolean {
  return name.startsWith('INPUT_') || name === 'ACTIONS_RUNTIME_TOKEN' || name.startsWith('ACTIONS_ID_TOKEN_REQUEST_');
}

/** argv and environment for one scanner run: pure, so what reaches the process is testable. */
export function scannerInvocation(
  settings: ScannerSettings,
  script: string,
  baseEnv: NodeJS.ProcessEnv,
  cwd: string,
  node = process.execPath,
): ScannerInvocation {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(baseEnv)) {
    if (!withheldFromScanner(k)) env[k] = v;
  }
  env.SONAR_TOKEN = settings.token;
  // No default here: a -Dsonar.host.url of SonarCloud would override the project's own sonar.host.url
  // and send a self-hosted server's token to SonarCloud.
  if (settings.hostUrl) env.SONAR_HOST_URL = settings.hostUrl;
  if (settings.caFile) env.NODE_EXTRA_CA_CERTS = settings.caFile;
  const args = [
    ...(settings.hostUrl ? [`-Dsonar.host.url=${settings.hostUrl}`] : []),
    ...(settings.projectKey ? [`-Dsonar.projectKey=${settings.projectKey}`] : []),
    ...(settings.organization ? [`-Dsonar.organization=${settings.organization}`] : []),
    ...settings.extraArgs,
  ];
  return { node, script, args, env, cwd };
}

/** Run the scanner, streaming its output to `log`; a non-zero exit is a failure naming the code. */
export function runScanner(invocation: ScannerInvocation, log: (line: string) => void, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(invocation.node, [invocation.script, ...invocation.args], {
      cwd: invocation.cwd,
      env: invocation.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      signal,
    });
    const forward = (stream: NodeJS.ReadableStream): void => {
      let pending = '';
      stream.on('data', (chunk: Buffer) => {
        const lines = (pending + chunk.toString('utf8')).split(/\r?\n/);
        pending = lines.pop() ?? '';
        lines.forEach(log);
      });
      stream.on('end', () => { if (pending) log(pending); });
    };
    forward(child.stdout!);
    forward(child.stderr!);
    child.on('error', (error) => reject(new ActionError(`the scanner could not run (${invocation.node} ${invocation.script}): ${error.message}`)));
    child.on('close', (code, sig) => {
      if (code === 0) resolve();
      else reject(new ActionError(`the SonarScanner exited with ${sig ? `signal ${sig}` : `code ${code}`}; its output above says why. The quality gate is not checked after a failed scan.`));
    });
  });
}
