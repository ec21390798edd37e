/**
 * The CodeBuild steps of the pipeline as plain buildspec objects, pure over
 * the spec so tests can read every command. Shell variables come from the
 * pipeline variables (IMAGE_URI, COMMIT_SHA) the GitHub deploy job passes.
 */
import type { ServiceSpec } from '../../spec';
import { KUBERNETES_VERSION } from '../platform/eks-service';
import { IMAGE_PLACEHOLDER, kubernetesNamespace } from '../platform/k8s-manifest';
import { IMAGE_URI_PARAMETER } from '../platform/platform-stack';

/**
 * The Node.js major the CodeBuild steps run (buildspec runtime-versions). Node 22 is LTS and both the AL2023
 * standard:5.0 image (nodejs 18/20/22/24) and the CDK CLI support it; the image's default would drift as
 * runtimes reach end of life (aws/aws-codebuild-docker-images al/x86_64/standard/5.0/runtimes.yml).
 */
export const CODEBUILD_NODE_RUNTIME = '22';
/** kubectl minor matching the cluster's Kubernetes version (kubectl supports one minor of skew either way). */
export const KUBECTL_VERSION = `v${KUBERNETES_VERSION.version}.0`;

export interface BuildSpecInputs {
  /** The aws-cdk CLI version to install, e.g. from the lockfile (cdkCliVersion()). */
  readonly cdkCliVersion: string;
}

const REQUIRE_IMAGE_URI =
  'if [ -z "${IMAGE_URI:-}" ]; then echo "IMAGE_URI is empty: start the pipeline with the variable IMAGE_URI=<registry>/<repo>:<tag> (the GitHub deploy job passes the image job\'s output)" >&2; exit 1; fi';

/** Every stack the pipeline deploys: all but delivery, which would otherwise replace itself mid-run. */
export function stacksDeployedByPipeline(spec: ServiceSpec): string[] {
  return Object.entries(spec.names.stacks)
    .filter(([lifecycle]) => lifecycle !== 'delivery')
    .map(([, stackName]) => stackName);
}

/** The message the self-check prints when the deployed pipeline is not the synthesized one. */
export function deliveryDriftMessage(spec: ServiceSpec): string {
  const stack = spec.names.stacks.delivery;
  return `the deployed ${stack} stack differs from this release's cloud assembly (shown above), so this pipeline is running an outdated definition of itself. ` +
    `The pipeline never updates its own stack mid-run; deploy it once from a machine with the deploy permissions: npx cdk deploy ${stack}, then release again`;
}

/** The ImageUri parameter on ECS (the one path a new image takes); nothing on EKS. */
function imageParameter(spec: ServiceSpec): string {
  return spec.platform === 'ecs-fargate' ? ` --parameters "${spec.names.stacks.platform}:${IMAGE_URI_PARAMETER}=\${IMAGE_URI}"` : '';
}

function installCdk(inputs: BuildSpecInputs): Record<string, unknown> {
  return {
    'runtime-versions': { nodejs: CODEBUILD_NODE_RUNTIME },
    'commands': [`npm install --global --no-audit --no-fund aws-cdk@${inputs.cdkCliVersion}`, 'cdk --version'],
  };
}

/** The preview step's exported variable: the console link to its build log, which holds the diff. */
export const PREVIEW_URL_VARIABLE = 'DIFF_URL';

/**
 * The protected stage's preview, before its manual approval: `cdk diff` of exactly the stacks the deploy will
 * deploy, with the same image, against the deployed ones (through a change set where CloudFormation can make one),
 * printed into the build log. The log's console link is exported (buildspec `env.exported-variables`, readable by
 * later actions as `#{<namespace>.DIFF_URL}`: https://docs.aws.amazon.com/codepipeline/latest/userguide/reference-variables.html)
 * and becomes the approval's link. CODEBUILD_BUILD_ID is `<project>:<uuid>`, the console's path segment once the colon is encoded.
 */
export function previewBuildSpec(spec: ServiceSpec, inputs: BuildSpecInputs): Record<string, unknown> {
  const stacks = stacksDeployedByPipeline(spec).join(' ');
  return {
    version: '0.2',
    env: { 'shell': 'bash', 'exported-variables': [PREVIEW_URL_VARIABLE] },
    phases: {
      install: installCdk(inputs),
      build: {
        commands: [
          REQUIRE_IMAGE_URI,
          `export ${PREVIEW_URL_VARIABLE}="https://\${AWS_REGION}.console.aws.amazon.com/codesuite/codebuild/projects/\${CODEBUILD_BUILD_ID%%:*}/build/\${CODEBUILD_BUILD_ID/:/%3A}/log?region=\${AWS_REGION}"`,
          'echo "changes commit ${COMMIT_SHA:-unknown} with image ${IMAGE_URI} would make; this log is the approval\'s link: ${DIFF_URL}"',
          `cdk diff --app . --no-version-reporting --exclusively ${stacks}${imageParameter(spec)}`,
        ],
      },
    },
  };
}

export function infraDeployBuildSpec(spec: ServiceSpec, inputs: BuildSpecInputs): Record<string, unknown> {
  const stacks = stacksDeployedByPipeline(spec).join(' ');
  const delivery = spec.names.stacks.delivery;
  const parameters = imageParameter(spec);
  return {
    version: '0.2',
    env: { shell: 'bash' },
    phases: {
      install: installCdk(inputs),
      build: {
        commands: [
          REQUIRE_IMAGE_URI,
          'echo "deploying commit ${COMMIT_SHA:-unknown} with image ${IMAGE_URI}"',
          // cdk diff --fail exits non-zero on any difference: stop before deploying anything with a stale pipeline.
          `if ! cdk diff --app . --fail --no-version-reporting ${delivery}; then echo ${JSON.stringify(deliveryDriftMessage(spec))} >&2; exit 1; fi`,
          // The source artifact is the synthesized cloud assembly: no synth, no npm install of the app here.
          // On ECS this is the one path a new image takes: CloudFormation registers the task definition and rolls the service.
          // --exclusively: the assembly holds every stage; this stage's stacks alone, never another stage's they might depend on.
          `cdk deploy --app . --require-approval never --progress events --no-version-reporting --exclusively ${stacks}${parameters}`,
        ],
      },
    },
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
        'runtime-versions': { nodejs: CODEBUILD_NODE_RUNTIME },
        'commands': [
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
