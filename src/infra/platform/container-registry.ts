/** The service's ECR repository: scanned on push, immutable tags, the last N images kept. */
import { RemovalPolicy, aws_ecr as ecr } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { ServiceSpec } from '../../spec';

export function containerRepository(scope: Construct, id: string, spec: ServiceSpec): ecr.Repository {
  const repository = new ecr.Repository(scope, id, {
    repositoryName: spec.names.ecrRepository,
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
  return repository;
}
