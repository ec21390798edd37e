/** The service's ECR repository: scanned on push, immutable tags, the last N images kept. */
import { RemovalPolicy, aws_ecr as ecr } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { ServiceSpec } from '../../spec';

export function containerRepository(scope: Construct, id: string, spec: ServiceSpec): ecr.Repository {
  return new ecr.Repository(scope, id, {
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
}
