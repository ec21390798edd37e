/**
 * The CodeBuild steps of the pipeline as plain buildspec objects, pure over
 * the spec so tests can read every command. Shell variables come from the
 * pipeline variables (IMAGE_URI, COMMIT_SHA) the GitHub deploy job passes.
 */
import type { ServiceSpec } from '../../spec';
import { CONTAINER_NAME } from '../platform/ecs-service';
import { IMAGE_PLACEHOLDER, kubernetesNamespace } from '../platform/k8s-manifest';
import { IMAGE_URI_PARAMETER } from '../platform/platform-stack';

/** The file the ECS deploy action reads from the infrastructure step's output. */
export const IMAGE_DEFINITIONS_FILE = 'imagedefinitions.json';
/** CDK CLI major the deploy step installs; the cloud assembly is written by aws-cdk-lib v2. */
export const CDK_CLI = 'aws-cdk@2';
/** kubectl minor matching the cluster's Kubernetes version. */
export const KUBECTL_VERSION = 'v1.33.0';

const REQUIRE_IMAGE_URI =
  'if [ -z "${IMAGE_URI:-}" ]; then echo "IMAGE_URI is empty: start the pipeline with the variable IMAGE_URI=<registry>/<repo>:<tag> (the GitHub deploy job passes the image job\'s output)" >&2; exit 1; fi';

/** Every stack the pipeline deploys: all but delivery, which would otherwise replace itself mid-run. */
export function stacksDeployedByPipeline(spec: ServiceSpec): string[] {
  return Object.entries(spec.names.stacks)
    .filter(([lifecycle]) => lifecycle !== 'delivery')
    .map(([, stackName]) => stackName);
}

export function infraDeployBuildSpec(spec: ServiceSpec): Record<string, unknown> {
  const stacks = stacksDeployedByPipeline(spec).join(' ');
  const parameters = spec.platform === 'ecs-fargate' ? ` --parameters "${spec.names.stacks.platform}:${IMAGE_URI_PARAMETER}=\${IMAGE_URI}"` : '';
  const imageDefinitions = JSON.stringify([{ name: CONTAINER_NAME, imageUri: '__IMAGE__' }]).replace('"__IMAGE__"', '"%s"');
  return {
    version: '0.2',
    env: { shell: 'bash' },
    phases: {
      install: { commands: [`npm install --global --no-audit --no-fund ${CDK_CLI}`] },
      build: {
        commands: [
          REQUIRE_IMAGE_URI,
          'echo "deploying commit ${COMMIT_SHA:-unknown} with image ${IMAGE_URI}"',
          // The source artifact is the synthesized cloud assembly: no synth, no npm install of the app here.
          `cdk deploy --app . --require-approval never --progress events --no-version-reporting ${stacks}${parameters}`,
          `printf '${imageDefinitions}' "\${IMAGE_URI}" > ${IMAGE_DEFINITIONS_FILE}`,
        ],
      },
    },
    artifacts: { files: [IMAGE_DEFINITIONS_FILE] },
  };
}

export function eksDeployBuildSpec(spec: ServiceSpec): Record<string, unknown> {
  const name = spec.names.ecsService;
  const namespace = kubernetesNamespace(spec);
  return {
    version: '0.2',
    env: { shell: 'bash' },
    phases: {
      install: {
        commands: [
          `curl -fsSLo /usr/local/bin/kubectl "https://dl.k8s.io/release/${KUBECTL_VERSION}/bin/linux/amd64/kubectl"`,
          'chmod +x /usr/local/bin/kubectl',
        ],
      },
      build: {
        commands: [
          REQUIRE_IMAGE_URI,
          `aws eks update-kubeconfig --name "${spec.names.eksCluster}" --region "${spec.region}"`,
          // The platform stack moves CoreDNS to Fargate; this repairs a cluster where the EC2 pin came back (e.g. an add-on update).
          'if [ "$(kubectl get deployment coredns --namespace kube-system -o jsonpath=\'{.spec.template.metadata.annotations.eks\\.amazonaws\\.com/compute-type}\')" = "ec2" ]; then ' +
            'kubectl patch deployment coredns --namespace kube-system --type json ' +
            '-p \'[{"op":"remove","path":"/spec/template/metadata/annotations/eks.amazonaws.com~1compute-type"}]\'; fi',
          // The platform stack installs the controller (Helm chart); fail with the fix rather than apply a binding nothing reconciles.
          'if ! kubectl get crd targetgroupbindings.elbv2.k8s.aws >/dev/null; then echo "the AWS Load Balancer Controller is not installed in the cluster: ' +
            'the TargetGroupBinding that puts the pods behind the load balancer needs it. The ' + spec.names.stacks.platform + ' stack installs it ' +
            '(Helm release aws-load-balancer-controller in kube-system): check that stack deployed without errors, or redeploy it" >&2; exit 1; fi',
          `printf '%s' "\${MANIFEST}" | sed "s|${IMAGE_PLACEHOLDER}|\${IMAGE_URI}|g" | kubectl apply -f -`,
          `kubectl rollout status "deployment/${name}" --namespace "${namespace}" --timeout=15m`,
        ],
      },
    },
  };
}
