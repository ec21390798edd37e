/**
 * AWS clients from the environment. Region comes from AWS_REGION (or
 * AWS_DEFAULT_REGION); credentials, AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE>
 * and AWS_MAX_ATTEMPTS are read by the SDK itself.
 */
import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { S3Client } from '@aws-sdk/client-s3';
import { ActionError } from '../../shared';

export function regionFrom(env: NodeJS.ProcessEnv): string {
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION;
  if (!region) {
    throw new ActionError('no AWS region: set AWS_REGION (aws-actions/configure-aws-credentials sets it from its aws-region input).');
  }
  return region;
}

export function createClients(region: string): { codepipeline: CodePipelineClient; s3: S3Client } {
  const common = { region, customUserAgent: 'slipway-codepipeline-deploy' };
  return { codepipeline: new CodePipelineClient(common), s3: new S3Client(common) };
}
