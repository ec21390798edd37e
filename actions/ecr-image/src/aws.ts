/** The ECR client from the environment (region, credentials, AWS_ENDPOINT_URL[_ECR] are the SDK's). */
import { ECRClient } from '@aws-sdk/client-ecr';
import { regionFromEnvironment } from '../../shared';

export function createEcrClient(env: NodeJS.ProcessEnv): ECRClient {
  return new ECRClient({ region: regionFromEnvironment(env), customUserAgent: 'slipway-ecr-image' });
}
