/**
 * AWS clients from the environment. Region comes from AWS_REGION (or
 * AWS_DEFAULT_REGION); credentials, AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE>
 * and AWS_MAX_ATTEMPTS are read by the SDK itself.
 */
import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { S3Client } from '@aws-sdk/client-s3';

const USER_AGENT = 'slipway-codepipeline-deploy';

/** Just CodePipeline: the post step needs nothing else, and leaving S3 out keeps its bundle small. */
export function createCodePipelineClient(region: string): CodePipelineClient {
  return new CodePipelineClient({ region, customUserAgent: USER_AGENT });
}

export function createClients(region: string): { codepipeline: CodePipelineClient; s3: S3Client } {
  return { codepipeline: createCodePipelineClient(region), s3: new S3Client({ region, customUserAgent: USER_AGENT }) };
}
