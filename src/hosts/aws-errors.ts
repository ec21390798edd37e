/**
 * What the driver says when an AWS call fails for a reason the user can fix:
 * no credentials, expired ones, or a missing permission. Pure: error in, the
 * message to print (or undefined when the error is not one of these) out.
 */
import { hostTransferBucketName, type ServiceSpec } from '../spec';
import type { Discovery } from './options';

/** The calls discovery makes, by how the hosts are found. */
export function discoveryPermissions(discovery: Discovery): string[] {
  return discovery === 'stack' ? ['cloudformation:DescribeStacks', 'ec2:DescribeInstances'] : ['ec2:DescribeInstances'];
}

/**
 * What the SSM connection needs besides discovery (amazon.aws.aws_ssm's documented requirements: a session,
 * files through the transfer bucket, whose region it reads with HeadBucket).
 */
export function ssmPermissions(spec: ServiceSpec): string[] {
  const bucket = hostTransferBucketName(spec.names, '<account id>', spec.region);
  return ['ssm:StartSession', 'ssm:TerminateSession', `s3:PutObject, s3:GetObject and s3:DeleteObject on ${bucket}/*`, `s3:ListBucket and s3:GetBucketLocation on ${bucket}`];
}

function errorName(e: unknown): string {
  const err = e as { name?: unknown; Code?: unknown; code?: unknown };
  return String(err.name ?? err.Code ?? err.code ?? '');
}

export function explainAwsError(e: unknown, spec: ServiceSpec, discovery: Discovery): string | undefined {
  const name = errorName(e);
  const message = (e as Error).message ?? '';
  const needs = `It needs ${discoveryPermissions(discovery).join(' and ')} to find the hosts; over SSM also ${ssmPermissions(spec).join(', ')}.`;
  // The SDK's default chain ends with this generic error when no provider had credentials (aws/aws-sdk-js-v3#2408).
  if (name === 'CredentialsProviderError' || /Could not load credentials from any providers/.test(message)) {
    return [
      `no AWS credentials were found to look up the hosts in ${spec.region}.`,
      'Set them one of these ways, then run again:',
      '  - a profile: export AWS_PROFILE=<name> (for IAM Identity Center run `aws sso login --profile <name>` first)',
      '  - keys for this shell: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary ones)',
      `The region is the spec's (${spec.region}); the account is the one the credentials belong to. ${needs}`,
      'Or skip discovery: --inventory <file>.',
    ].join('\n');
  }
  if (/^(ExpiredToken|ExpiredTokenException|RequestExpired|TokenRefreshRequired)$/.test(name) || /token.*(expired|is expired)/i.test(message)) {
    return `the AWS credentials have expired (${name || message}); refresh them (e.g. \`aws sso login --profile <name>\`) and run again.`;
  }
  if (/^(UnauthorizedOperation|AccessDenied|AccessDeniedException)$/.test(name)) {
    return `the AWS credentials may not look up the hosts in ${spec.region}: ${message.split('\n')[0]}. ${needs}`;
  }
  return undefined;
}
