/**
 * The Kubernetes objects of the service on EKS, rendered from the spec as
 * plain data: a Deployment sized like the Fargate task, a ClusterIP Service,
 * a HorizontalPodAutoscaler, and a TargetGroupBinding that registers the pods
 * in the load balancer's target group (AWS Load Balancer Controller CRD).
 * Fargate's built-in log router ships container output to the service's
 * CloudWatch log group (aws-observability ConfigMap), the same group the
 * ECS option uses, so the log shipper path is identical on both platforms.
 * The image is left as a placeholder the deploy step fills in.
 */
import type { ServiceSpec } from '../../spec';

export const IMAGE_PLACEHOLDER = '__IMAGE_URI__';
/** The service account the pods run as; its IAM role (IRSA) carries the data grants. */
export const SERVICE_ACCOUNT = 'app';

export interface ManifestInputs {
  readonly targetGroupArn: string;
  /** The IAM role the pods assume through the service account. */
  readonly podRoleArn: string;
  /** Extra container environment (resource names). */
  readonly environment: Readonly<Record<string, string>>;
}

export function serviceManifest(spec: ServiceSpec, inputs: ManifestInputs): Record<string, unknown> {
  const name = spec.names.ecsService;
  const namespace = kubernetesNamespace(spec);
  const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/managed-by': 'slipway' };
  const { container } = spec;
  const resources = { cpu: `${container.cpu}m`, memory: `${container.memoryMiB}Mi` };
  const probe = { httpGet: { path: container.healthCheckPath, port: container.port }, periodSeconds: 15 };
  return {
    apiVersion: 'v1',
    kind: 'List',
    items: [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels } },
      // Fargate reads its log routing from this exact namespace and ConfigMap name.
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'aws-observability', labels: { 'aws-observability': 'enabled' } } },
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'aws-logging', namespace: 'aws-observability' },
        data: { 'output.conf': fluentBitOutput(spec) },
      },
      {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: SERVICE_ACCOUNT, namespace, labels, annotations: { 'eks.amazonaws.com/role-arn': inputs.podRoleArn } },
      },
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name, namespace, labels },
        // No replicas: the HPA owns the count, and a replicas field would reset it on every `kubectl apply`
        // (kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#migrating-deployments-and-statefulsets-to-horizontal-autoscaling).
        spec: {
          selector: { matchLabels: labels },
          strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '100%' } },
          template: {
            metadata: { labels },
            spec: {
              serviceAccountName: SERVICE_ACCOUNT,
              containers: [
                {
                  name: 'app',
                  image: IMAGE_PLACEHOLDER,
                  ports: [{ containerPort: container.port }],
                  env: Object.entries(inputs.environment).map(([k, v]) => ({ name: k, value: v })),
                  // Fargate sizes the pod from requests; limits equal requests keep it predictable.
                  resources: { requests: resources, limits: resources },
                  readinessProbe: probe,
                  livenessProbe: { ...probe, initialDelaySeconds: 30 },
                  securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true },
                },
              ],
            },
          },
        },
      },
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name, namespace, labels },
        spec: { type: 'ClusterIP', selector: labels, ports: [{ port: container.port, targetPort: container.port }] },
      },
      {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name, namespace, labels },
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
          minReplicas: container.desiredCount,
          maxReplicas: container.maxCount,
          metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: container.cpuTargetPercent } } }],
        },
      },
      {
        apiVersion: 'elbv2.k8s.aws/v1beta1',
        kind: 'TargetGroupBinding',
        metadata: { name, namespace, labels },
        spec: { serviceRef: { name, port: container.port }, targetGroupARN: inputs.targetGroupArn, targetType: 'ip' },
      },
    ],
  };
}

/** Fluent Bit output section: every container's output to the service's log group. */
export function fluentBitOutput(spec: ServiceSpec): string {
  return [
    '[OUTPUT]',
    '    Name cloudwatch_logs',
    '    Match *',
    `    region ${spec.region}`,
    `    log_group_name ${spec.names.appLogGroup}`,
    `    log_stream_prefix ${spec.names.ecsService}/`,
    '    auto_create_group false',
    '',
  ].join('\n');
}

/** The namespace the service's pods run in; the Fargate profile selects it. */
export function kubernetesNamespace(spec: ServiceSpec): string {
  return spec.serviceName;
}
