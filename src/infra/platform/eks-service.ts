/**
 * The EKS option: a cluster whose control plane logs everything, a Fargate
 * profile that runs the service's namespace (and kube-system) in the private
 * subnets, an IRSA role for the pods, and the AWS Load Balancer Controller
 * (whose TargetGroupBinding puts the pods behind the load balancer).
 * aws-cdk-lib installs the controller's Helm chart at deploy time through its
 * kubectl provider (a Lambda in the private subnets with kubectl and helm in a
 * layer that ships inside an npm package), so synth stays offline. The
 * service's own manifest is still applied by the delivery stack's deploy step.
 */
import { KubectlV35Layer } from '@aws-cdk/lambda-layer-kubectl-v35';
import { CfnCondition, CfnElement, CfnJson, Fn, RemovalPolicy, Stack, aws_ec2 as ec2, aws_eks_v2 as eks, aws_iam as iam, aws_kms as kms, aws_logs as logs } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { ServiceSpec } from '../../spec';
import { acknowledge } from '../acknowledge';
import { denyGrantsOutsideAwsServices } from '../key-policies';
import { acknowledgeLogGroupOpinions, guardRule } from '../policy-validation';
import type { ServiceNetwork } from '../service-network';
import { SERVICE_ACCOUNT, kubernetesNamespace } from './k8s-manifest';

/**
 * In EKS standard support until 27 Mar 2027 (1.33 went to paid extended support on 29 Jul 2026, 1.34 ends 2 Dec 2026);
 * https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html. Keep in step with the kubectl layer
 * package (@aws-cdk/lambda-layer-kubectl-v35) and the deploy step's kubectl (KUBECTL_VERSION derives from it).
 */
export const KUBERNETES_VERSION = eks.KubernetesVersion.V1_35;
const PUBLIC_ENDPOINT_REASON =
  'The pipeline deploy step runs in CodeBuild outside the VPC and reaches the API server publicly; every call is authenticated by IAM through an EKS access entry scoped to that one role.';
/** The HPA reads pod CPU from the resource metrics API, which only metrics-server serves (EKS community add-on). */
export const METRICS_SERVER_ADDON = 'metrics-server';
/**
 * The newest 2.x release aws-cdk-lib ships an IAM policy for (released Jan 2026,
 * "requires Kubernetes 1.22+", aws/eks-charts#1292): it serves the TargetGroupBinding
 * v1beta1 API the manifest uses; 3.x is a new major line we have not qualified.
 */
export const ALB_CONTROLLER_VERSION = eks.AlbControllerVersion.V2_17_1;
/** The ARN patterns (besides '*') in the controller's upstream IAM policy. */
const CONTROLLER_TAGGED_RESOURCES = [
  'ec2:*:*:security-group/*',
  'elasticloadbalancing:*:*:loadbalancer/app/*/*',
  'elasticloadbalancing:*:*:loadbalancer/net/*/*',
  'elasticloadbalancing:*:*:targetgroup/*/*',
  'elasticloadbalancing:*:*:listener/app/*/*/*',
  'elasticloadbalancing:*:*:listener/net/*/*/*',
  'elasticloadbalancing:*:*:listener-rule/app/*/*/*',
  'elasticloadbalancing:*:*:listener-rule/net/*/*/*',
];
/** The id aws-cdk-lib gives the KubernetesPatch that moves CoreDNS to Fargate (coreDnsComputeType). */
const CORE_DNS_PATCH_ID = 'CoreDnsComputeTypePatch';

export interface EksServiceProps {
  readonly spec: ServiceSpec;
  readonly network: ServiceNetwork;
  readonly loadBalancerSecurityGroup: ec2.ISecurityGroup;
  /** Fargate's log router writes the pods' output here. */
  readonly appLogGroup: logs.ILogGroup;
}

export class EksService extends Construct {
  readonly cluster: eks.Cluster;
  /** Assumed by the pods through IRSA; grant data access to it. */
  readonly podRole: iam.Role;
  /** Reconciles the manifest's TargetGroupBinding into the load balancer's target group. */
  readonly albController: eks.AlbController;

  constructor(scope: Construct, id: string, props: EksServiceProps) {
    super(scope, id);
    const { spec, network } = props;
    const namespace = kubernetesNamespace(spec);

    // EKS writes to this exact name; created here so retention follows the spec. Removed if the first create fails.
    const controlPlaneLogs = new logs.LogGroup(this, 'ControlPlaneLogs', {
      logGroupName: `/aws/eks/${spec.names.eksCluster}/cluster`,
      retention: spec.logs.retentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
    acknowledgeLogGroupOpinions(controlPlaneLogs, spec.logs.retentionDays, 'logs.retentionDays');
    const secretsKey = new kms.Key(this, 'SecretsKey', {
      description: `${spec.names.eksCluster}: envelope encryption of Kubernetes secrets`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
    denyGrantsOutsideAwsServices(secretsKey);
    this.cluster = new eks.Cluster(this, 'Cluster', {
      clusterName: spec.names.eksCluster,
      version: KUBERNETES_VERSION,
      vpc: network.vpc,
      vpcSubnets: [network.privateSubnets],
      defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
      defaultCapacity: 0,
      // Fargate-only: CoreDNS ships pinned to EC2 nodes and would never schedule (the controller needs DNS).
      coreDnsComputeType: eks.CoreDnsComputeType.FARGATE,
      // The Lambda that runs helm and kubectl; it is placed in the private subnets (private endpoint access).
      kubectlProviderOptions: { kubectlLayer: new KubectlV35Layer(this, 'KubectlLayer') },
      endpointAccess: eks.EndpointAccess.PUBLIC_AND_PRIVATE,
      // Envelope encryption of Kubernetes secrets with a customer key (CT.EKS.PR.2); AWS rotates it yearly.
      secretsEncryptionKey: secretsKey,
      clusterLogging: [
        eks.ClusterLoggingTypes.API,
        eks.ClusterLoggingTypes.AUDIT,
        eks.ClusterLoggingTypes.AUTHENTICATOR,
        eks.ClusterLoggingTypes.CONTROLLER_MANAGER,
        eks.ClusterLoggingTypes.SCHEDULER,
      ],
    });
    acknowledge(this.cluster, {
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonEKSClusterPolicy]',
      reason: 'EKS requires its service role to carry the AWS-managed AmazonEKSClusterPolicy; AWS maintains it as the control plane\'s needs change.',
    }, {
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonEKSFargatePodExecutionRolePolicy]',
      reason: 'The Fargate pod execution role needs exactly the AWS-managed AmazonEKSFargatePodExecutionRolePolicy (image pulls); it grants pods no data access.',
    }, {
      id: 'AwsSolutions-EKS1',
      reason: PUBLIC_ENDPOINT_REASON,
    }, {
      id: guardRule('eks_endpoint_no_public_access_check'),
      reason: PUBLIC_ENDPOINT_REASON,
    }, {
      id: guardRule('lambda_inside_vpc_check'),
      reason: 'The kubectl handler runs in the private subnets (the rule cannot resolve subnet ids imported from the network stack); the provider framework function only invokes it and touches no data, so it needs no VPC.',
    }, {
      id: guardRule('cloudwatch_log_group_encrypted_check'),
      reason: 'The kubectl provider\'s CDK-managed log groups hold only its deploy-time kubectl and Helm output; CloudWatch Logs encrypts them at rest with service-owned keys.',
    });
    acknowledge(this.cluster.node.defaultChild!, {
      id: 'CloudFormation-Validate::W9009',
      reason: 'aws-cdk-lib writes EncryptionConfig.Resources: [secrets] for secrets encryption; EKS still documents it as the one supported value, so the deprecation has no replacement.',
    });
    this.acknowledgeKubectlProvider();
    this.cluster.connections.allowFrom(props.loadBalancerSecurityGroup, ec2.Port.tcp(spec.container.port), 'load balancer to pods');

    const profile = this.cluster.addFargateProfile('Service', {
      fargateProfileName: spec.names.eksCluster,
      selectors: [{ namespace }, { namespace: 'kube-system' }],
      vpc: network.vpc,
      subnetSelection: network.privateSubnets,
    });
    profile.podExecutionRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'FargateLogRouter',
        actions: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
        resources: [props.appLogGroup.logGroupArn],
      }),
    );
    this.albController = this.loadBalancerController(spec, profile);
    // https://docs.aws.amazon.com/eks/latest/userguide/community-addons.html: AWS builds and patches it; it runs in kube-system (on Fargate here).
    const metricsServer = new eks.Addon(this, 'MetricsServer', { cluster: this.cluster, addonName: METRICS_SERVER_ADDON, preserveOnDelete: false });
    metricsServer.node.addDependency(profile);

    // The issuer is a deploy-time value; CfnJson lets it appear in condition keys.
    const issuer = Fn.select(1, Fn.split('https://', this.cluster.clusterOpenIdConnectIssuerUrl));
    const trust = new CfnJson(this, 'PodRoleTrust', {
      value: { [`${issuer}:sub`]: `system:serviceaccount:${namespace}:${SERVICE_ACCOUNT}`, [`${issuer}:aud`]: 'sts.amazonaws.com' },
    });
    this.podRole = new iam.Role(this, 'PodRole', {
      description: `${spec.serviceName} pods (service account ${namespace}/${SERVICE_ACCOUNT})`,
      assumedBy: new iam.WebIdentityPrincipal(this.cluster.openIdConnectProvider.openIdConnectProviderArn, { StringEquals: trust }),
    });
    // CfnJson's helper (the pod role's trust policy) lives at the stack root; it only resolves JSON and touches no data.
    const cfnUtils = Stack.of(this).node.tryFindChild('AWSCDKCfnUtilsProviderCustomResourceProvider');
    if (cfnUtils) {
      acknowledge(cfnUtils, {
        id: guardRule('lambda_inside_vpc_check'),
        reason: 'aws-cdk-lib\'s CfnJson helper only turns a deploy-time token into JSON for the pod role\'s trust policy; it reads no data and calls no service, so it needs no VPC.',
      });
    }
  }

  /**
   * The AWS Load Balancer Controller in kube-system, with the IAM policy
   * aws-cdk-lib ships for its version on an IRSA service account; the chart
   * values name the cluster, its VPC and region (Fargate pods have no instance
   * metadata to discover them from).
   */
  private loadBalancerController(spec: ServiceSpec, profile: eks.FargateProfile): eks.AlbController {
    const controller = eks.AlbController.create(this, { cluster: this.cluster, version: ALB_CONTROLLER_VERSION });
    // Pods created before the Fargate profile exists are never scheduled, and the controller resolves AWS endpoints through CoreDNS.
    const coreDnsPatch = this.cluster.node.findChild(CORE_DNS_PATCH_ID);
    coreDnsPatch.node.addDependency(profile);
    controller.node.addDependency(profile, coreDnsPatch);
    const policy = `the AWS Load Balancer Controller's published IAM policy for ${ALB_CONTROLLER_VERSION.version} (shipped in aws-cdk-lib), assumable only by its service account in ${spec.names.eksCluster}`;
    acknowledge(controller, {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'Reads (EC2/ELB describes, ACM, WAF, Shield) support no resource scoping, and most writes on \'*\' require the elbv2.k8s.aws/cluster tag; ' +
        `listener, rule and ingress-rule writes are unconditioned upstream because the controller also manages rules it did not tag; from ${policy}.`,
    }, ...CONTROLLER_TAGGED_RESOURCES.map((resource) => ({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:${resource}]`,
      reason: 'The controller names the load balancers, listeners, rules and security groups it creates, and registers pods in target groups it did not create ' +
        `(ours, through the TargetGroupBinding), so no name is known at synth; tag changes on them require the elbv2.k8s.aws/cluster tag; from ${policy}.`,
    })));
    return controller;
  }

  /** The kubectl provider is aws-cdk-lib's own construct; its findings are acknowledged where they arise. */
  private acknowledgeKubectlProvider(): void {
    const provider = this.cluster.kubectlProvider;
    if (!provider) throw new Error(`${this.cluster.node.path} has no kubectl provider: the AWS Load Balancer Controller chart cannot be installed without one`);
    const stack = Stack.of(this);
    const handler = provider.node.findChild('Handler');
    const handlerId = stack.resolve((handler.node.defaultChild as CfnElement).logicalId) as string;
    const ecrPublic = stack.resolve((handler.node.findChild('HasEcrPublic') as CfnCondition).logicalId) as string;
    const ecrPublicPolicy = JSON.stringify({
      'Fn::If': [ecrPublic, { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AmazonElasticContainerRegistryPublicReadOnly']] }, { Ref: 'AWS::NoValue' }],
    });
    const managed = (policy: string, reason: string) => ({ id: `AwsSolutions-IAM4[Policy::${policy}]`, reason });
    acknowledge(provider,
      managed('arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
        'The AWS-managed basic execution policy only lets the kubectl provider\'s Lambdas write their own CloudWatch logs.'),
      managed('arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole',
        'The AWS-managed VPC execution policy is the documented minimum for a Lambda in a VPC (ENI management and its own logs); it grants no data access.'),
      managed('arn:<AWS::Partition>:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly',
        'aws-cdk-lib gives the kubectl handler read-only ECR access so helm can pull OCI charts; it cannot push or delete images.'),
      managed(ecrPublicPolicy,
        'aws-cdk-lib adds read-only ECR Public access (commercial partition only) so helm can pull public OCI charts; it grants no writes.'),
      {
        id: 'AwsSolutions-L1',
        reason: 'aws-cdk-lib picks the kubectl handler\'s runtime (the latest Python it has qualified with its handler code and AWS CLI layer); overriding it would run untested code.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::<${handlerId}.Arn>:*]`,
        reason: 'The custom resource framework may invoke any version of the kubectl handler function, and only that function.',
      },
    );
  }
}
