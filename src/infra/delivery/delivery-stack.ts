/**
 * The delivery lifecycle: a CodePipeline (V2, QUEUED) whose source is the
 * cloud assembly the GitHub deploy job uploads to a versioned bucket. When the
 * stage is protected, a `cdk diff` of the stage's stacks runs first and a manual
 * approval links it and notifies the alarm topic. CodeBuild then checks that
 * the deployed pipeline is the synthesized one and runs `cdk deploy` of that
 * assembly, which on ECS also rolls out the new image (the ImageUri stack
 * parameter: one deploy path); on EKS a second step applies the manifest. The GitHub deploy role may upload under one key
 * prefix and start/follow this pipeline, nothing more.
 */
import { Aws, Duration, RemovalPolicy, Stack, StackProps, Token, aws_codebuild as codebuild, aws_codepipeline as codepipeline, aws_codepipeline_actions as cpactions, aws_ecs as ecs, aws_eks_v2 as eks, aws_iam as iam, aws_logs as logs, aws_s3 as s3, aws_sns as sns } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { ServiceSpec } from '../../spec';
import { Acknowledgement, acknowledge } from '../acknowledge';
import { useServiceFeatureFlags } from '../feature-flags';
import { stableOutput } from '../outputs';
import { serviceManifest } from '../platform/k8s-manifest';
import { acknowledgeLogGroupOpinions } from '../policy-validation';
import { accessLogBucket, secureBucket } from '../secure-bucket';
import { PREVIEW_URL_VARIABLE, eksDeployBuildSpec, infraDeployBuildSpec, previewBuildSpec } from './buildspecs';
import { cdkCliVersion } from './cdk-cli-version';

/** The object the GitHub deploy job uploads under spec.names.pipelineSourceKeyPrefix. */
export const RELEASE_OBJECT = 'cloud-assembly.zip';
/** What CDK's `bucket.grantReadWrite` expands to; acknowledged where CDK grants artifact access. */
const S3_GRANT_ACTION_WILDCARDS = ['s3:Abort*', 's3:DeleteObject*', 's3:GetBucket*', 's3:GetObject*', 's3:List*'] as const;
/** The CDK bootstrap qualifier whose deploy roles the infrastructure step assumes. */
export const CDK_QUALIFIER = 'hnb659fds';

/** Exactly what the GitHub deploy job's bridge action calls on the pipeline. */
export const DEPLOY_ROLE_PIPELINE_ACTIONS = [
  'codepipeline:StartPipelineExecution',
  'codepipeline:StopPipelineExecution',
  'codepipeline:GetPipeline',
  'codepipeline:GetPipelineExecution',
  'codepipeline:ListActionExecutions',
] as const;

export interface DeliveredService {
  /** ECS: the Fargate service the new image rolls out to. */
  readonly ecsService?: ecs.IBaseService;
  /** EKS: the cluster, and what the manifest needs. */
  readonly eks?: {
    readonly cluster: eks.ICluster;
    readonly targetGroupArn: string;
    readonly podRoleArn: string;
    readonly environment: Readonly<Record<string, string>>;
  };
}

export interface DeliveryStackProps extends StackProps {
  readonly spec: ServiceSpec;
  readonly service: DeliveredService;
  /** The GitHub OIDC deploy role (access stack). */
  readonly deployRole: iam.IRole;
  /** Where a protected stage's pending approval is announced: the stage's alarm topic (observability stack). */
  readonly approvalTopic?: sns.ITopic;
  /** The aws-cdk CLI version CodeBuild installs. @default - the version package-lock.json resolved */
  readonly cdkCliVersion?: string;
}

/**
 * CodeBuild's limit for one infrastructure deploy: a first deploy creates the OpenSearch domain (15–30 min),
 * an EKS cluster (10–15 min) and waits for ECS to stabilise; 2 h leaves room for all of them and a rollback.
 */
export const INFRA_DEPLOY_TIMEOUT = Duration.hours(2);
/** The EKS service step: one rollout, bounded by its own `kubectl rollout status --timeout`. */
export const SERVICE_DEPLOY_TIMEOUT = Duration.minutes(30);

/** What each CodeBuild project of the pipeline does, for its description. */
const PROJECT_PURPOSES: Readonly<Record<string, string>> = {
  InfraDeploy: 'cdk deploy of the cloud assembly',
  ServiceDeploy: 'apply the Kubernetes manifest',
  Preview: 'cdk diff of the cloud assembly against the deployed stacks, before the approval',
};

export function releaseObjectKey(spec: ServiceSpec): string {
  return `${spec.names.pipelineSourceKeyPrefix}${RELEASE_OBJECT}`;
}

/** The variables namespace of a protected stage's preview action, read by its approval. */
export const PREVIEW_NAMESPACE = 'Preview';
/** The preview runs one `cdk diff`; CodeBuild's limit for it. */
export const PREVIEW_TIMEOUT = Duration.minutes(30);

export class DeliveryStack extends Stack {
  readonly pipeline: codepipeline.Pipeline;
  readonly sourceBucket: s3.Bucket;
  readonly infraDeploy: codebuild.PipelineProject;
  /** A protected stage's `cdk diff` before the approval. */
  readonly preview?: codebuild.PipelineProject;
  readonly deployRolePolicy: iam.Policy;
  private readonly projects: codebuild.PipelineProject[] = [];

  constructor(scope: Construct, id: string, props: DeliveryStackProps) {
    super(scope, id, props);
    useServiceFeatureFlags(this);
    const { spec, service } = props;
    const { names } = spec;
    if (spec.platform === 'ecs-fargate' ? !service.ecsService : !service.eks) {
      throw new Error(`the delivery stack needs the ${spec.platform === 'ecs-fargate' ? 'ECS service' : 'EKS cluster'} for platform '${spec.platform}'`);
    }

    const logBucket = accessLogBucket(this, 'AccessLogs', 90);
    this.sourceBucket = secureBucket(this, 'SourceBucket', { accessLogs: { bucket: logBucket, prefix: 'source/' } });
    // Each release overwrites the one source object; superseded versions (a pipeline run pins its own) expire.
    this.sourceBucket.addLifecycleRule({ id: 'ExpireSupersededReleases', noncurrentVersionExpiration: Duration.days(90) });
    const artifactBucket = secureBucket(this, 'ArtifactBucket', { accessLogs: { bucket: logBucket, prefix: 'artifacts/' }, expireAfterDays: 90 });

    const imageUri = new codepipeline.Variable({
      variableName: 'IMAGE_URI',
      description: 'The image to deploy (registry/repository:tag); the GitHub deploy job passes the image job output',
    });
    const commitSha = new codepipeline.Variable({
      variableName: 'COMMIT_SHA',
      description: 'The commit being deployed, for the logs',
      defaultValue: 'unknown',
    });

    this.pipeline = new codepipeline.Pipeline(this, 'Pipeline', {
      pipelineName: names.pipeline,
      pipelineType: codepipeline.PipelineType.V2,
      executionMode: codepipeline.ExecutionMode.QUEUED,
      variables: [imageUri, commitSha],
      artifactBucket,
      restartExecutionOnUpdate: false,
    });

    const cloudAssembly = new codepipeline.Artifact('CloudAssembly');
    this.pipeline.addStage({
      stageName: 'Source',
      actions: [
        new cpactions.S3SourceAction({
          actionName: 'CloudAssembly',
          bucket: this.sourceBucket,
          bucketKey: releaseObjectKey(spec),
          output: cloudAssembly,
          // The bridge action starts each execution itself, pinned to the object version it uploaded.
          trigger: cpactions.S3Trigger.NONE,
        }),
      ],
    });

    const pipelineVariables = {
      IMAGE_URI: { value: imageUri.reference() },
      COMMIT_SHA: { value: commitSha.reference() },
    };
    const buildInputs = { cdkCliVersion: props.cdkCliVersion ?? cdkCliVersion() };
    if (spec.protectedEnvironment) {
      if (!props.approvalTopic) throw new Error(`the protected stage ${spec.stage.name} needs a topic to announce its approvals on (approvalTopic: the stage's alarm topic)`);
      this.preview = this.project('Preview', spec, undefined, previewBuildSpec(spec, buildInputs), PREVIEW_TIMEOUT);
      this.allowCdkBootstrapRoles(spec, this.preview);
      const preview = new cpactions.CodeBuildAction({
        actionName: 'PreviewChanges',
        project: this.preview,
        input: cloudAssembly,
        environmentVariables: pipelineVariables,
        variablesNamespace: PREVIEW_NAMESPACE,
        runOrder: 1,
      });
      this.pipeline.addStage({
        stageName: 'Approve',
        actions: [
          preview,
          // The approval's link (ExternalEntityLink) is the preview's log, its diff; the pending approval is published to
          // the stage's alarm topic (NotificationArn), whose subscribers (alarms.email) are told. Action variables may be used
          // in a manual approval's configuration: https://docs.aws.amazon.com/codepipeline/latest/userguide/actions-variables.html
          // (Example: Use variables in manual approvals); its fields: https://docs.aws.amazon.com/codepipeline/latest/userguide/approvals-action-add.html
          new cpactions.ManualApprovalAction({
            actionName: 'Approve',
            // The link is in the message too (the documented example resolves variables in the message text); kept short,
            // since the resolved image URI and link alone take some 300 of the message's characters.
            additionalInformation: `Deploy ${imageUri.reference()} to the protected stage '${spec.environment}'; its diff: ${preview.variable(PREVIEW_URL_VARIABLE)}`,
            externalEntityLink: preview.variable(PREVIEW_URL_VARIABLE),
            notificationTopic: props.approvalTopic,
            runOrder: 2,
          }),
        ],
      });
    }

    this.infraDeploy = this.project('InfraDeploy', spec, names.infraDeployProject, infraDeployBuildSpec(spec, buildInputs), INFRA_DEPLOY_TIMEOUT);
    this.allowCdkBootstrapRoles(spec, this.infraDeploy);
    this.pipeline.addStage({
      stageName: 'DeployInfrastructure',
      actions: [
        new cpactions.CodeBuildAction({
          actionName: 'CdkDeploy',
          project: this.infraDeploy,
          input: cloudAssembly,
          environmentVariables: pipelineVariables,
        }),
      ],
    });

    // ECS needs no further step: a second path (the CodePipeline ECS action) would roll the service out twice and leave it on a
    // task definition CloudFormation does not own, which the next `cdk deploy` rolls back.
    if (service.eks) {
      this.pipeline.addStage({ stageName: 'DeployService', actions: [this.eksDeployAction(spec, service.eks, cloudAssembly, pipelineVariables)] });
    }

    this.deployRolePolicy = this.grantDeployRole(spec, props.deployRole);
    this.acknowledgeFindings(spec, artifactBucket, this.projects);

    stableOutput(this, 'PipelineName', this.pipeline.pipelineName, `${names.pipeline} CodePipeline`);
    stableOutput(this, 'PipelineArn', this.pipeline.pipelineArn, `${names.pipeline} ARN`);
    stableOutput(this, 'SourceBucketName', this.sourceBucket.bucketName, `set it as the GitHub variable ${spec.pipeline.sourceBucketVariable}`);
    stableOutput(this, 'SourceObjectKey', releaseObjectKey(spec), 'the cloud assembly object the pipeline reads');
  }

  /** cdk deploy and cdk diff act through the CDK bootstrap roles of the stage's account and region. */
  private allowCdkBootstrapRoles(spec: ServiceSpec, project: codebuild.PipelineProject): void {
    project.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'AssumeCdkBootstrapRoles',
        actions: ['sts:AssumeRole'],
        resources: [`arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/cdk-${CDK_QUALIFIER}-*-${Aws.ACCOUNT_ID}-${spec.region}`],
      }),
    );
    acknowledge(project, {
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::<AWS::AccountId>:role/cdk-${CDK_QUALIFIER}-*-<AWS::AccountId>-${spec.region}]`,
      reason: 'cdk deploy and cdk diff assume the CDK bootstrap roles (deploy, file/image publishing, lookup) of this account and region; the wildcard is the role kind in their fixed naming scheme.',
    });
  }

  private project(
    id: string,
    spec: ServiceSpec,
    projectName: string | undefined,
    buildSpec: Record<string, unknown>,
    timeout: Duration,
    role?: iam.IRole,
  ): codebuild.PipelineProject {
    const logGroup = new logs.LogGroup(this, `${id}Logs`, {
      retention: spec.logs.retentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
    acknowledgeLogGroupOpinions(logGroup, spec.logs.retentionDays, 'logs.retentionDays');
    const project = new codebuild.PipelineProject(this, id, {
      ...(projectName ? { projectName } : {}),
      description: `${spec.serviceName} ${spec.stage.name}: ${PROJECT_PURPOSES[id] ?? id}`,
      buildSpec: codebuild.BuildSpec.fromObject(buildSpec),
      // AL2023 standard:5.0 carries the Node.js runtime the buildspecs pin (CODEBUILD_NODE_RUNTIME).
      environment: { buildImage: codebuild.LinuxBuildImage.AMAZON_LINUX_2023_5, computeType: codebuild.ComputeType.SMALL, privileged: false },
      timeout,
      logging: { cloudWatch: { logGroup } },
      ...(role ? { role } : {}),
    });
    this.projects.push(project);
    return project;
  }

  private eksDeployAction(
    spec: ServiceSpec,
    target: NonNullable<DeliveredService['eks']>,
    cloudAssembly: codepipeline.Artifact,
    variables: Record<string, codebuild.BuildEnvironmentVariable>,
  ): codepipeline.IAction {
    const role = new iam.Role(this, 'EksDeployRole', {
      description: `CodeBuild step that applies ${spec.serviceName}'s manifest to ${spec.names.eksCluster}`,
      assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com'),
    });
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['eks:DescribeCluster'], resources: [target.cluster.clusterArn] }));
    // Cluster scope: the manifest creates the namespace and a TargetGroupBinding.
    new eks.AccessEntry(this, 'EksDeployAccess', {
      cluster: target.cluster,
      principal: role.roleArn,
      accessPolicies: [eks.AccessPolicy.fromAccessPolicyName('AmazonEKSClusterAdminPolicy', { accessScopeType: eks.AccessScopeType.CLUSTER })],
    });
    const manifest = serviceManifest(spec, { targetGroupArn: target.targetGroupArn, podRoleArn: target.podRoleArn, environment: target.environment });
    const project = this.project('ServiceDeploy', spec, undefined, eksDeployBuildSpec(spec), SERVICE_DEPLOY_TIMEOUT, role);
    return new cpactions.CodeBuildAction({
      actionName: 'EksDeploy',
      project,
      input: cloudAssembly,
      environmentVariables: { ...variables, MANIFEST: { value: Stack.of(this).toJsonString(manifest) } },
    });
  }

  private grantDeployRole(spec: ServiceSpec, deployRole: iam.IRole): iam.Policy {
    const prefix = spec.names.pipelineSourceKeyPrefix;
    const policy = new iam.Policy(this, 'DeployRolePipelineAccess', {
      statements: [
        new iam.PolicyStatement({ sid: 'UploadRelease', actions: ['s3:PutObject'], resources: [this.sourceBucket.arnForObjects(`${prefix}*`)] }),
        new iam.PolicyStatement({ sid: 'StartAndFollowPipeline', actions: [...DEPLOY_ROLE_PIPELINE_ACTIONS], resources: [this.pipeline.pipelineArn] }),
      ],
    });
    policy.attachToRole(deployRole);
    acknowledge(policy, {
      id: `AwsSolutions-IAM5[Resource::<${this.getLogicalId(this.sourceBucket.node.defaultChild as s3.CfnBucket)}.Arn>/${prefix}*]`,
      reason: `The deploy job uploads releases under ${prefix} only; the wildcard covers object names under that one prefix of this pipeline's source bucket.`,
    });
    return policy;
  }

  /** The wildcards CDK's own pipeline and CodeBuild grants produce, each acknowledged where it occurs. */
  private acknowledgeFindings(spec: ServiceSpec, artifactBucket: s3.Bucket, projects: codebuild.PipelineProject[]): void {
    const artifacts = `<${this.getLogicalId(artifactBucket.node.defaultChild as s3.CfnBucket)}.Arn>`;
    const s3Grant = (bucket: string, why: string): Acknowledgement[] => [
      ...S3_GRANT_ACTION_WILDCARDS.map((action) => ({ id: `AwsSolutions-IAM5[Action::${action}]`, reason: `${action} is part of CDK's artifact read/write grant, scoped to ${why}.` })),
      { id: `AwsSolutions-IAM5[Resource::${bucket}/*]`, reason: `Pipeline artifacts have generated object names; access is limited to ${why}.` },
    ];
    acknowledge(this.pipeline, ...s3Grant(artifacts, 'this pipeline\'s own artifact bucket'));
    if (spec.protectedEnvironment) {
      acknowledge(this.pipeline, {
        id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
        reason: 'Publishing the pending approval to the encrypted alarm topic needs a data key of that topic\'s one KMS key (CDK\'s grantPublish); the resource is that key alone.',
      });
    }
    const region = spec.region;
    // CDK writes the partition of a known region as a literal (the @aws-cdk/core:enablePartitionLiterals flag),
    // and a pinned account as a literal too.
    const partition = this.resolve(this.partition) === this.partition ? this.partition : '<AWS::Partition>';
    const account = Token.isUnresolved(this.account) ? '<AWS::AccountId>' : this.account;
    for (const project of projects) {
      const id = `<${this.getLogicalId(project.node.defaultChild as codebuild.CfnProject)}>`;
      const acks: Acknowledgement[] = [
        ...s3Grant(artifacts, 'this pipeline\'s own artifact bucket'),
        {
          id: `AwsSolutions-IAM5[Resource::arn:${partition}:logs:${region}:${account}:log-group:/aws/codebuild/${id}:*]`,
          reason: 'CodeBuild writes log streams with generated names under the project\'s own log group; the wildcard is that group\'s streams.',
        },
        {
          id: `AwsSolutions-IAM5[Resource::arn:${partition}:codebuild:${region}:${account}:report-group/${id}-*]`,
          reason: 'CodeBuild report groups are named after the project; the wildcard covers only this project\'s report groups.',
        },
      ];
      acknowledge(project, ...acks, {
        id: 'AwsSolutions-CB4',
        reason: 'Build artifacts stay in this pipeline\'s private, TLS-only artifact bucket with S3-managed encryption; a customer key would add key-policy coupling without narrowing access.',
      });
      // A role passed in from outside sits beside the project, not under it, so it needs its own.
      const role = project.role;
      if (role && !role.node.path.startsWith(`${project.node.path}/`)) acknowledge(role, ...acks);
    }
  }
}
