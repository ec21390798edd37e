/**
 * The container platform lifecycle: the ECR repository (created in the stage
 * that owns it, the first; referenced by ARN in the others), the public load
 * balancer, and the service on ECS Fargate or EKS (spec.platform). On ECS the
 * image is a stack parameter the pipeline's infrastructure step passes
 * (IMAGE_URI), the only way a new image reaches the service, so CloudFormation
 * owns every task definition the service runs; until the
 * first image is passed, the service exists with zero tasks, so the first
 * `cdk deploy` (before any image is built) succeeds.
 */
import { Aws, CfnCondition, CfnParameter, Fn, RemovalPolicy, Stack, StackProps, aws_ec2 as ec2, aws_ecr as ecr, aws_ecs as ecs, aws_iam as iam, aws_logs as logs } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { ServiceSpec } from '../../spec';
import { acknowledge } from '../acknowledge';
import { stableOutput } from '../outputs';
import { acknowledgeLogGroupOpinions } from '../policy-validation';
import { accessLogBucket } from '../secure-bucket';
import type { ServiceNetwork } from '../service-network';
import { containerRepository, grantImagePull, ownsImageRepository } from './container-registry';
import { EcsService } from './ecs-service';
import { EksService } from './eks-service';
import { ServiceLoadBalancer } from './load-balancer';
import { useServiceFeatureFlags } from '../feature-flags';

/** What the platform needs from the data stack: configuration for the app and grants for its role. */
export interface ServiceData {
  /** Plain configuration the app reads (resource names and endpoints). */
  readonly appEnvironment: Readonly<Record<string, string>>;
  /** Present with Aurora: the database credentials, and the group to open for the service. */
  readonly database?: { readonly secret: ecs.Secret; readonly securityGroup: ec2.ISecurityGroup; readonly port: number };
  grantService(role: iam.IRole): void;
}

export interface PlatformStackProps extends StackProps {
  readonly spec: ServiceSpec;
  readonly network: ServiceNetwork;
  readonly data: ServiceData;
  /** The GitHub image-push role (the owner stage's access stack); it may push images to the repository this stack creates. */
  readonly imagePushRole?: iam.IRole;
}

/** The stack parameter that carries the image the service runs. */
export const IMAGE_URI_PARAMETER = 'ImageUri';
/** The tag the task definition names while no image has been deployed; no task runs then. */
export const NO_IMAGE_TAG = 'no-image-yet';
const ALB_LOG_DAYS = 90;

export class PlatformStack extends Stack {
  /** The service's repository: created here in the owner stage, referenced by name and ARN in the others. */
  readonly repository: ecr.IRepository;
  readonly loadBalancer: ServiceLoadBalancer;
  readonly appLogGroup: logs.LogGroup;
  readonly ecs?: EcsService;
  readonly eks?: EksService;

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id, props);
    useServiceFeatureFlags(this);
    const { spec, network, data } = props;
    const { names } = spec;

    this.repository = containerRepository(this, 'Repository', spec);
    if (props.imagePushRole) {
      if (!ownsImageRepository(spec)) {
        throw new Error(`the image-push role belongs to the stage that owns the ${spec.imageRepository.name} repository (${spec.imageRepository.ownerStage}), not to ${spec.stage.name}`);
      }
      this.grantImagePush(spec, props.imagePushRole);
    }

    const albLogs = accessLogBucket(this, 'LoadBalancerLogs', ALB_LOG_DAYS);
    this.loadBalancer = new ServiceLoadBalancer(this, 'LoadBalancer', { spec, network, accessLogs: albLogs });

    this.appLogGroup = new logs.LogGroup(this, 'AppLogs', {
      logGroupName: names.appLogGroup,
      retention: spec.logs.retentionDays as logs.RetentionDays,
      // Kept on delete and update, but a failed first create removes it, so the (fixed-name) group never blocks a retry.
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
    acknowledgeLogGroupOpinions(this.appLogGroup, spec.logs.retentionDays, 'logs.retentionDays');

    let serviceSecurityGroup: ec2.ISecurityGroup;
    if (spec.platform === 'ecs-fargate') {
      const imageUri = new CfnParameter(this, IMAGE_URI_PARAMETER, {
        type: 'String',
        default: '',
        description: 'The image the service runs; the pipeline passes its IMAGE_URI variable. Empty: the service exists with no tasks.',
      });
      // Before the first image exists (the very first deploy) the service is created with zero tasks.
      const hasImage = new CfnCondition(this, 'HasImage', { expression: Fn.conditionNot(Fn.conditionEquals(imageUri.valueAsString, '')) });
      const image = Fn.conditionIf(hasImage.logicalId, imageUri.valueAsString, `${this.repository.repositoryUri}:${NO_IMAGE_TAG}`).toString();
      this.ecs = new EcsService(this, 'Ecs', {
        spec,
        network,
        image: ecs.ContainerImage.fromRegistry(image),
        logGroup: this.appLogGroup,
        targetGroup: this.loadBalancer.targetGroup,
        environment: data.appEnvironment,
        secrets: data.database ? { DB_SECRET: data.database.secret } : {},
      });
      const whenImage = (count: number) => Fn.conditionIf(hasImage.logicalId, count, 0);
      // Zero tasks until the first image; after that no DesiredCount at all, so a deploy never resets what autoscaling
      // chose. Raising the scalable target's minimum from 0 brings the service into the new range (RegisterScalableTarget).
      (this.ecs.service.node.defaultChild as ecs.CfnService).addPropertyOverride('DesiredCount', Fn.conditionIf(hasImage.logicalId, Aws.NO_VALUE, 0));
      this.ecs.scalableTarget.addPropertyOverride('MinCapacity', whenImage(spec.container.desiredCount));
      this.ecs.scalableTarget.addPropertyOverride('MaxCapacity', whenImage(spec.container.maxCount));
      // fromRegistry grants nothing; the execution role pulls from the service's repository only.
      grantImagePull(spec, this.repository, this.ecs.executionRole);
      acknowledge(this.ecs.executionRole, {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: `ecr:GetAuthorizationToken (registry login) has no resource-level scoping; image pulls are limited to the ${names.ecrRepository} repository.`,
      });
      data.grantService(this.ecs.taskRole);
      serviceSecurityGroup = this.ecs.securityGroup;
      stableOutput(this, 'ClusterName', this.ecs.cluster.clusterName, `${names.ecsCluster} ECS cluster`);
      stableOutput(this, 'ServiceName', this.ecs.service.serviceName, `${names.ecsService} ECS service`);
    } else {
      this.eks = new EksService(this, 'Eks', {
        spec,
        network,
        loadBalancerSecurityGroup: this.loadBalancer.loadBalancer.connections.securityGroups[0],
        appLogGroup: this.appLogGroup,
      });
      data.grantService(this.eks.podRole);
      serviceSecurityGroup = this.eks.cluster.clusterSecurityGroup;
      stableOutput(this, 'ClusterName', this.eks.cluster.clusterName, `${names.eksCluster} EKS cluster`);
      stableOutput(this, 'PodRoleArn', this.eks.podRole.roleArn, `IAM role of the ${spec.serviceName} pods (IRSA)`);
    }

    if (data.database) {
      // The rule lives here, in the service's stack, so the data stack never depends on this one.
      new ec2.CfnSecurityGroupIngress(this, 'DatabaseFromService', {
        groupId: data.database.securityGroup.securityGroupId,
        sourceSecurityGroupId: serviceSecurityGroup.securityGroupId,
        ipProtocol: 'tcp',
        fromPort: data.database.port,
        toPort: data.database.port,
        description: `PostgreSQL from the ${spec.serviceName} service`,
      });
    }

    stableOutput(this, 'RepositoryUri', this.repository.repositoryUri, `${names.ecrRepository} ECR repository URI`);
    stableOutput(this, 'RepositoryName', this.repository.repositoryName, `${names.ecrRepository} ECR repository name`);
    stableOutput(this, 'LoadBalancerDnsName', this.loadBalancer.loadBalancer.loadBalancerDnsName, `${names.loadBalancer} DNS name`);
    stableOutput(this, 'AppLogGroupName', this.appLogGroup.logGroupName, 'CloudWatch log group of the service');
  }

  /**
   * The GitHub image job's role: push, pull (a re-run reads the existing tag's image; buildx checks layers
   * before it uploads them) and scan-result reads, on this repository only. ECR's push and pull actions from
   * https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-push-iam.html. The build cache lives in the
   * GitHub Actions cache, so no cache tag in the IMMUTABLE repository needs anything here.
   */
  private grantImagePush(spec: ServiceSpec, imagePushRole: iam.IRole): void {
    const policy = new iam.Policy(this, 'ImagePushRolePolicy', {
      statements: [
        new iam.PolicyStatement({
          sid: 'PushServiceImages',
          actions: [
            'ecr:BatchCheckLayerAvailability',
            'ecr:InitiateLayerUpload',
            'ecr:UploadLayerPart',
            'ecr:CompleteLayerUpload',
            'ecr:PutImage',
            'ecr:BatchGetImage',
            'ecr:GetDownloadUrlForLayer',
            'ecr:DescribeImages',
            'ecr:DescribeImageScanFindings',
            // The ecr-image action reads tag immutability and scan on push before building (actions/ecr-image/README.md).
            'ecr:DescribeRepositories',
          ],
          resources: [this.repository.repositoryArn],
        }),
        // Registry-level actions have no resource-level permissions: the login token, and the registry's scanning
        // configuration (basic or enhanced, and its rules) that tells the scan gate what evidence of a finished scan to wait for.
        new iam.PolicyStatement({
          sid: 'RegistryLevel',
          actions: ['ecr:GetAuthorizationToken', 'ecr:GetRegistryScanningConfiguration'],
          resources: ['*'],
        }),
      ],
    });
    policy.attachToRole(imagePushRole);
    acknowledge(policy, {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: `ecr:GetAuthorizationToken and ecr:GetRegistryScanningConfiguration support no resource scoping; pushes are limited to the ${spec.names.ecrRepository} repository by the other statement.`,
    });
  }
}
