/**
 * What the AWS account must already have (or what the estate creates) for
 * the first `cdk deploy` to go through, as this spec decides it; and where
 * the hosts' AMI comes from. Pure: spec in, lines out.
 */
import { isArmInstanceType } from '../infra/hosts/placement';
import type { ServiceSpec } from '../spec';

/** The AL2023 public parameter the hosts follow when hosts.imageId does not pin an AMI. */
export function al2023Parameter(instanceType: string): string {
  return `/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${isArmInstanceType(instanceType) ? 'arm64' : 'x86_64'}`;
}

export function accountPrerequisites(spec: ServiceSpec): string[] {
  const where = `${spec.account ?? '<account-id>'}/${spec.region}`;
  return [
    `- CDK bootstrap in ${where} (assumed): 'npx cdk bootstrap aws://${where}' once per account and region.`,
    // A VPC domain needs the role before it can create its network interfaces; it exists once per account.
    spec.logs.createServiceLinkedRole
      ? '- OpenSearch service-linked role AWSServiceRoleForAmazonOpenSearchService (created by the logs stack, logs.createServiceLinkedRole): ' +
        'if the account already has it, the create fails; then set logs.createServiceLinkedRole: false.'
      : '- OpenSearch service-linked role AWSServiceRoleForAmazonOpenSearchService (assumed to exist): once per account, ' +
        "'aws iam create-service-linked-role --aws-service-name opensearchservice.amazonaws.com' (an 'already exists' error means it is there), " +
        'or set logs.createServiceLinkedRole: true.',
    oidcProviderLine(spec),
  ];
}

/** Who provides the account's one GitHub OIDC provider (IAM holds one per URL per account). */
function oidcProviderLine(spec: ServiceSpec): string {
  if (spec.github.createOidcProvider) {
    return '- GitHub OIDC provider (created by the access stack, github.createOidcProvider): an account holds one per URL, ' +
      'so if it already has token.actions.githubusercontent.com the create fails; then drop github.createOidcProvider.';
  }
  if (spec.github.oidcProviderArn) {
    return `- GitHub OIDC provider (assumed to exist): ${spec.github.oidcProviderArn} (github.oidcProviderArn); the access stack only references it.`;
  }
  return `- GitHub OIDC provider (assumed to exist): arn:aws:iam::${spec.account ?? '<account-id>'}:oidc-provider/token.actions.githubusercontent.com, ` +
    "the account's one provider for GitHub, which the access stack references; an account without one: set github.createOidcProvider: true.";
}

export function hostImage(spec: ServiceSpec): string {
  if (spec.hosts.count === 0) return 'Host AMI: no hosts (hosts.count 0).';
  return spec.hosts.imageId
    ? `Host AMI: ${spec.hosts.imageId}, pinned in hosts.imageId; change it on purpose (it replaces the ${spec.hosts.count} host(s)).`
    : 'Host AMI: the latest Amazon Linux 2023, resolved from the public SSM parameter at each deploy (not pinned): a new release replaces the ' +
      `${spec.hosts.count} host(s) on the next deploy. Pin it with hosts.imageId (aws ssm get-parameter --name ${al2023Parameter(spec.hosts.instanceType)}` +
      ` --region ${spec.region} --query Parameter.Value).`;
}

/**
 * Unpinned AZs are `Fn::Select [i, Fn::GetAZs '']`, which CloudFormation evaluates again on every update:
 * if the region's list for the account changes (an AZ added before, or one no longer offered), the index
 * points elsewhere and the subnet, and all in it, would be replaced. Pinned names never move.
 */
export function availabilityZones(spec: ServiceSpec): string {
  const azs = spec.network.availabilityZones;
  if (azs.every((az) => az.name)) return `Availability zones: ${azs.map((az) => az.name).join(', ')}, pinned in network.availabilityZones.`;
  const example = azs.map((az) => `'${spec.region}${az.letter}'`).join(', ');
  return 'Availability zones: picked at each deploy by position in the region\'s list (not pinned); if that list changes, a subnet would move ' +
    `and be replaced. Pin them by name once you know your account's AZs (aws ec2 describe-availability-zones --region ${spec.region}), ` +
    `e.g. network.availabilityZones: [${example}].`;
}

export function renderPrerequisites(spec: ServiceSpec): string {
  return [
    'Before the first deploy, the account needs (README: "Setting up a new service repo"):',
    ...accountPrerequisites(spec),
    hostImage(spec),
    availabilityZones(spec),
  ].join('\n');
}
