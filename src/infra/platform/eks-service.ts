/**
 * The EKS option: a cluster whose control plane logs everything, a Fargate
 * profile that runs the service's namespace (and kube-system) in the private
 * subnets and an IRSA role for the pods. No kubectl Lambda is deployed: the
 * delivery stack's deploy step applies the manifest, so synth stays fast.
 */
import { CfnJson, Fn, aws_ec2 as ec2, aws_eks_v2 as eks, aws_iam as iam, aws_logs as logs } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { ServiceSpec } from '../../spec';
import { acknowledge } from '../acknowledge';
import type { ServiceNetwork } from '../service-network';
import { SERVICE_ACCOUNT, kubernetesNamespace } from './k8s-manifest';

export const KUBERNETES_VERSION = eks.KubernetesVersion.V1_33;

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

  constructor(scope: Construct, id: string, props: EksServiceProps) {
    super(scope, id);
    const { spec, network } = props;
    const namespace = kubernetesNamespace(spec);

    new logs.LogGroup(this, 'ControlPlaneLogs', {
      logGroupName: `/aws/eks/${spec.names.eksCluster}/cluster`,
      retention: spec.logs.retentionDays as logs.RetentionDays,
    });
    this.cluster = new eks.Cluster(this, 'Cluster', {
      clusterName: spec.names.eksCluster,
      version: KUBERNETES_VERSION,
      vpc: network.vpc,
      vpcSubnets: [network.privateSubnets],
      defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
      defaultCapacity: 0,
      endpointAccess: eks.EndpointAccess.PUBLIC_AND_PRIVATE,
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
      reason: 'The pipeline deploy step runs in CodeBuild outside the VPC and reaches the API server publicly; every call is authenticated by IAM through an EKS access entry scoped to that one role.',
    });
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

    // The issuer is a deploy-time value; CfnJson lets it appear in condition keys.
    const issuer = Fn.select(1, Fn.split('https://', this.cluster.clusterOpenIdConnectIssuerUrl));
    const trust = new CfnJson(this, 'PodRoleTrust', {
      value: { [`${issuer}:sub`]: `system:serviceaccount:${namespace}:${SERVICE_ACCOUNT}`, [`${issuer}:aud`]: 'sts.amazonaws.com' },
    });
    this.podRole = new iam.Role(this, 'PodRole', {
      description: `${spec.serviceName} pods (service account ${namespace}/${SERVICE_ACCOUNT})`,
      assumedBy: new iam.WebIdentityPrincipal(this.cluster.openIdConnectProvider.openIdConnectProviderArn, { StringEquals: trust }),
    });
  }
}
