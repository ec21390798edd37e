/**
 * Access for the pipeline: the account's GitHub OIDC provider and the roles GitHub Actions
 * assumes. No IAM users, no access keys.
 * - The image-push role: the image job's pushes; the platform stack grants it ECR on the service's
 *   repository only (`imagePushRole`). Only the stage that owns the repository has it.
 * - The deploy role: the deploy job in the GitHub Environment; it starts with read access to this
 *   service's own stacks and the delivery stack grants the rest (`deployRole`).
 * - The hosts-configuration role: the configure-hosts job after a deploy, trusted like the deploy role
 *   (`hosts-config-role.ts`); only when the spec has hosts.
 * CloudFormation names every role: IAM names are global, so a fixed name collides for the same service in
 * two regions. Their ARNs are outputs the repository variables are set from.
 */
import { Aws, Duration, RemovalPolicy, Stack, StackProps, Tags, aws_iam as iam } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { ServiceSpec } from '../../spec';
import { acknowledge } from '../acknowledge';
import { stableOutput } from '../outputs';
import { GITHUB_OIDC_HOST, GITHUB_OIDC_URL, STS_AUDIENCE, deployTrustConditions, imagePushTrustConditions } from './github-trust';
import { HostsConfigRole } from './hosts-config-role';
import { ownsImageRepository } from '../platform/container-registry';

export interface AccessStackProps extends StackProps {
  readonly spec: ServiceSpec;
  /**
   * Whether this stack creates the account's GitHub OIDC provider. IAM holds one provider per URL per account,
   * so with several stages in one account only the first of them creates it (oidcProviderCreators).
   * @default spec.github.createOidcProvider
   */
  readonly createOidcProvider?: boolean;
}


/** ARNs of every stack of this service, any stack id: the deploy role may read their outputs. */
export function serviceStackArns(spec: ServiceSpec): string[] {
  return Object.values(spec.names.stacks).map(
    (stackName) => `arn:${Aws.PARTITION}:cloudformation:${spec.region}:${Aws.ACCOUNT_ID}:stack/${stackName}/*`,
  );
}

/**
 * The ARN IAM gives the account's GitHub provider: `arn:<partition>:iam::<account>:oidc-provider/<host>`
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_oidc.html), so an existing
 * provider can be referenced without a lookup.
 */
export function accountGitHubProviderArn(): string {
  return `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:oidc-provider/${GITHUB_OIDC_HOST}`;
}

export class AccessStack extends Stack {
  /** The account's provider: referenced by default, created only with github.createOidcProvider. */
  readonly oidcProvider: iam.IOidcProvider;
  /** Add the pipeline's permissions to this role from the delivery stack (e.g. `bucket.grantWrite(deployRole)`). */
  readonly deployRole: iam.Role;
  /**
   * Add image push and pull on the service's repository to this role from the platform stack. Present only in the
   * stage that owns the repository: one image, pushed once.
   */
  readonly imagePushRole?: iam.Role;
  /** The pipeline's configure-hosts job: present only when the spec has hosts. */
  readonly hostsConfigRole?: iam.Role;

  constructor(scope: Construct, id: string, props: AccessStackProps) {
    super(scope, id, props);
    const { spec } = props;
    const repository = `${spec.github.owner}/${spec.github.repo}`;

    // IAM holds one provider per URL per account: creating a second fails with EntityAlreadyExists.
    this.oidcProvider = (props.createOidcProvider ?? spec.github.createOidcProvider)
      ? this.createProvider(spec)
      : iam.OidcProviderNative.fromOidcProviderArn(this, 'GitHubOidc', spec.github.oidcProviderArn ?? accountGitHubProviderArn());

    if (ownsImageRepository(spec)) {
      this.imagePushRole = new iam.Role(this, 'ImagePushRole', {
        description: `GitHub Actions image push for ${repository} (${spec.github.branches.join(', ')})`,
        assumedBy: new iam.WebIdentityPrincipal(this.oidcProvider.oidcProviderArn, imagePushTrustConditions(spec)),
        maxSessionDuration: Duration.hours(1),
      });
    }
    this.deployRole = new iam.Role(this, 'DeployRole', {
      description: `GitHub Actions deploy for ${repository} (environment ${spec.environment})`,
      assumedBy: new iam.WebIdentityPrincipal(this.oidcProvider.oidcProviderArn, deployTrustConditions(spec)),
      // The deploy job's wait plus the stop window, derived once in the spec; the workflow asks for the same.
      maxSessionDuration: Duration.seconds(spec.pipeline.deploySessionSeconds),
    });
    const readStacks = new iam.Policy(this, 'DeployRoleReadStacks', {
      statements: [
        new iam.PolicyStatement({
          sid: 'ReadServiceStacks',
          actions: ['cloudformation:DescribeStacks'],
          resources: serviceStackArns(spec),
        }),
      ],
    });
    this.deployRole.attachInlinePolicy(readStacks);
    for (const stackName of Object.values(spec.names.stacks)) {
      acknowledge(readStacks, {
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:cloudformation:${spec.region}:<AWS::AccountId>:stack/${stackName}/*]`,
        reason: `A stack ARN ends in an id CloudFormation assigns at creation; '/*' matches only that id, scoped to the ${stackName} stack of this service.`,
      });
    }

    stableOutput(this, 'DeployRoleArn', this.deployRole.roleArn, `Deploy role: set it as the GitHub variable ${spec.pipeline.deployRoleVariable}`);
    if (this.imagePushRole) {
      stableOutput(this, 'ImagePushRoleArn', this.imagePushRole.roleArn, `Image-push role: set it as the repository variable ${spec.pipeline.imagePushRoleVariable}`);
    }
    if (spec.hosts.count > 0) {
      this.hostsConfigRole = new HostsConfigRole(this, 'HostsConfig', { spec, oidcProvider: this.oidcProvider }).role;
      stableOutput(this, 'HostsConfigRoleArn', this.hostsConfigRole.roleArn, `Hosts-configuration role: set it as the GitHub variable ${spec.pipeline.hostsRoleVariable}`);
    }
    stableOutput(this, 'GitHubOidcProviderArn', this.oidcProvider.oidcProviderArn, `${spec.names.githubOidcProvider} (${GITHUB_OIDC_URL})`);
  }

  private createProvider(spec: ServiceSpec): iam.OidcProviderNative {
    const provider = new iam.OidcProviderNative(this, 'GitHubOidc', {
      url: GITHUB_OIDC_URL,
      clientIds: [STS_AUDIENCE],
      // Other roles in the account may trust the same provider; deleting the stack must not cut them off.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Tags.of(provider).add('Name', spec.names.githubOidcProvider);
    return provider;
  }
}
