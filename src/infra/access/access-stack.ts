/**
 * Access for the pipeline: the account's GitHub OIDC provider and the deploy
 * role GitHub Actions assumes. No IAM users, no access keys. The role starts
 * with read access to this service's own stacks; the delivery stack grants
 * the rest (start the pipeline, write the release bundle) on `deployRole`.
 */
import { Aws, Duration, RemovalPolicy, Stack, StackProps, Tags, aws_iam as iam } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { ServiceSpec } from '../../spec';
import { acknowledge } from '../acknowledge';
import { stableOutput } from '../outputs';
import { GITHUB_OIDC_URL, STS_AUDIENCE, githubTrustConditions } from './github-trust';

export interface AccessStackProps extends StackProps {
  readonly spec: ServiceSpec;
}

/** ARNs of every stack of this service, any stack id: the deploy role may read their outputs. */
export function serviceStackArns(spec: ServiceSpec): string[] {
  return Object.values(spec.names.stacks).map(
    (stackName) => `arn:${Aws.PARTITION}:cloudformation:${spec.region}:${Aws.ACCOUNT_ID}:stack/${stackName}/*`,
  );
}

export class AccessStack extends Stack {
  /** Created here, or the account's existing one when the spec names it (one provider per URL per account). */
  readonly oidcProvider: iam.IOidcProvider;
  /** Add the pipeline's permissions to this role from the delivery stack (e.g. `bucket.grantWrite(deployRole)`). */
  readonly deployRole: iam.Role;

  constructor(scope: Construct, id: string, props: AccessStackProps) {
    super(scope, id, props);
    const { spec } = props;

    this.oidcProvider = spec.github.oidcProviderArn
      ? iam.OidcProviderNative.fromOidcProviderArn(this, 'GitHubOidc', spec.github.oidcProviderArn)
      : this.createProvider(spec);

    this.deployRole = new iam.Role(this, 'DeployRole', {
      roleName: spec.names.deployRole,
      description: `GitHub Actions deploy role for ${spec.github.owner}/${spec.github.repo} (${spec.environment})`,
      assumedBy: new iam.WebIdentityPrincipal(this.oidcProvider.oidcProviderArn, githubTrustConditions(spec)),
      maxSessionDuration: Duration.hours(1),
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

    stableOutput(this, 'DeployRoleArn', this.deployRole.roleArn, `${spec.names.deployRole}: set it as the GitHub variable ${spec.pipeline.deployRoleVariable}`);
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
