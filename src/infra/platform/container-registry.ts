/**
 * The service's one ECR repository: scanned on push, immutable tags, the last N images kept. One image is
 * built and every stage deploys it, so the repository exists once, in the stage that owns it
 * (`spec.imageRepository.ownerStage`, the first stage); every other stage references it by name and ARN
 * (never by a CDK reference, which would make one stage's stacks depend on another's).
 */
import { Aws, RemovalPolicy, aws_ecr as ecr, aws_iam as iam } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { ServiceSpec } from '../../spec';

/**
 * What a task execution role in another account needs on the repository to pull an image, the actions of
 * AWS's cross-account pull example (https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-policy-examples.html,
 * "Allow another account"); the registry login (ecr:GetAuthorizationToken) is an identity-policy action only.
 */
export const IMAGE_PULL_ACTIONS = ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'] as const;

type RepositorySpec = Pick<ServiceSpec, 'stage' | 'imageRepository'>;

/** Whether this stage holds the repository (and the image-push role). */
export function ownsImageRepository(spec: RepositorySpec): boolean {
  return spec.stage.name === spec.imageRepository.ownerStage;
}

/** The repository's ARN from the spec: its owner's account when pinned, the deploying account otherwise (every stage shares it then). */
export function imageRepositoryArn(spec: RepositorySpec): string {
  const { account, region, name } = spec.imageRepository;
  return `arn:${Aws.PARTITION}:ecr:${region}:${account ?? Aws.ACCOUNT_ID}:repository/${name}`;
}

/** The owner stage creates the repository; any other stage references it. */
export function containerRepository(scope: Construct, id: string, spec: ServiceSpec): ecr.IRepository {
  if (!ownsImageRepository(spec)) {
    return ecr.Repository.fromRepositoryAttributes(scope, id, { repositoryName: spec.imageRepository.name, repositoryArn: imageRepositoryArn(spec) });
  }
  const repository = new ecr.Repository(scope, id, {
    repositoryName: spec.imageRepository.name,
    imageScanOnPush: true,
    imageTagMutability: ecr.TagMutability.IMMUTABLE,
    encryption: ecr.RepositoryEncryption.AES_256,
    removalPolicy: RemovalPolicy.RETAIN,
    lifecycleRules: [
      {
        description: `keep the last ${spec.container.keepImages} images`,
        maxImageCount: spec.container.keepImages,
        tagStatus: ecr.TagStatus.ANY,
      },
    ],
  });
  // CDK omits AES256 as ECR's default; written out so the template states the encryption it relies on.
  (repository.node.defaultChild as ecr.CfnRepository).addPropertyOverride('EncryptionConfiguration', { EncryptionType: 'AES256' });
  if (spec.imageRepository.pullAccounts.length > 0) {
    // Stages in other accounts pull with their task execution roles; each account still grants its roles in their own
    // identity policies (grantImagePull), since cross-account access needs both sides.
    repository.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'StageAccountsPull',
        principals: spec.imageRepository.pullAccounts.map((account) => new iam.AccountPrincipal(account)),
        actions: [...IMAGE_PULL_ACTIONS],
      }),
    );
  }
  return repository;
}

/**
 * Pull rights for a role of this stage on the shared repository: an identity policy on the owner's ARN (for the
 * owner stage, CDK's grantPull on its own repository).
 */
export function grantImagePull(spec: ServiceSpec, repository: ecr.IRepository, role: iam.IRole): void {
  if (ownsImageRepository(spec)) {
    repository.grantPull(role);
    return;
  }
  role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'PullServiceImage', actions: [...IMAGE_PULL_ACTIONS], resources: [imageRepositoryArn(spec)] }));
  // Registry login has no resource-level permissions.
  role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'RegistryLogin', actions: ['ecr:GetAuthorizationToken'], resources: ['*'] }));
}
