/** The ECR client from the environment (region, credentials, AWS_ENDPOINT_URL[_ECR] are the SDK's). */
import { ECRClient } from '@aws-sdk/client-ecr';
import { ActionError } from '../../shared';

export function regionFrom(env: NodeJS.ProcessEnv): string {
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION;
  if (!region) {
    throw new ActionError('no AWS region: set AWS_REGION (aws-actions/configure-aws-credentials sets it from its aws-region input).');
  }
  return region;
}

export function createEcrClient(env: NodeJS.ProcessEnv): ECRClient {
  return new ECRClient({ region: regionFrom(env), customUserAgent: 'slipway-ecr-image' });
}
