/**
 * Where the image goes and how to log in: ECR through GetAuthorizationToken,
 * or Docker Hub with the given credentials. Secrets are masked the moment
 * they exist.
 */
import { ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { ImageInputs } from './inputs';
import { ActionError, Runner, awsCall } from '../../shared';

export interface RegistryLogin {
  /** host[:port], e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com or docker.io. */
  readonly host: string;
  readonly username: string;
  readonly password: string;
  /** Plain HTTP registry (only ever a loopback test registry): builders skip TLS. */
  readonly insecure: boolean;
}

/** Loopback hosts are the only ones allowed over plain HTTP. */
function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(hostname);
}

/** Parses ECR's proxyEndpoint; plain HTTP is refused unless the registry is on this machine. */
export function registryFromEndpoint(endpoint: string): { host: string; insecure: boolean } {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new ActionError(`ECR returned proxyEndpoint '${endpoint}', which is not a URL`);
  }
  if (url.protocol === 'https:') return { host: url.host, insecure: false };
  if (url.protocol === 'http:' && isLoopback(url.hostname)) return { host: url.host, insecure: true };
  throw new ActionError(`ECR returned proxyEndpoint '${endpoint}': refusing to send registry credentials without TLS to a host other than this machine`);
}

/** ECR login from GetAuthorizationToken: base64("AWS:<password>"), masked before anything else. */
export async function ecrLogin(ecr: ECRClient, runner: Pick<Runner, 'setSecret'>): Promise<RegistryLogin> {
  const answer = await awsCall('ECR GetAuthorizationToken', () => ecr.send(new GetAuthorizationTokenCommand({})));
  const data = answer.authorizationData?.[0];
  if (!data?.authorizationToken || !data.proxyEndpoint) {
    throw new ActionError('ECR GetAuthorizationToken returned no authorizationToken or proxyEndpoint');
  }
  runner.setSecret(data.authorizationToken);
  const decoded = Buffer.from(data.authorizationToken, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 1) throw new ActionError('ECR GetAuthorizationToken returned a token that is not base64 of user:password');
  const password = decoded.slice(colon + 1);
  runner.setSecret(password);
  return { ...registryFromEndpoint(data.proxyEndpoint), username: decoded.slice(0, colon), password };
}

export function dockerHubLogin(credentials: NonNullable<ImageInputs['credentials']>): RegistryLogin {
  return { host: 'docker.io', username: credentials.username, password: credentials.password, insecure: false };
}
