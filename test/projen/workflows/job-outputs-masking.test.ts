/**
 * Every value one generated job hands another survives the runner: for each `needs.<job>.outputs.<name>`
 * a job consumes, the producing job's steps run end to end (our bundles as processes, third-party actions
 * by their documented models, every mask they register collected), then the runner's job-output rule
 * decides what the consumer gets. The value must be set, non-empty and free of any masked string.
 * The image job pushes for real (buildah, Debian's docker-registry) to a registry that answers under an
 * ECR host name, so the account id sits in the image URI exactly as on github.com.
 */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { TWO_STAGES, synthWorkflows, Workflow } from './synth';
import { normaliseServiceOptions } from '../../../src/spec';
import { AwsJsonServer, startAwsJsonServer } from '../../actions/support/aws-json-server';
import { seedOptions } from '../../spec/fixtures';
import { describeWithTools } from '../../support/real-tools';
import { consumedJobOutputs } from '../../support/workflow-runner/expressions';
import { JobWorld, WorkflowJob, runJob } from '../../support/workflow-runner/job-runner';
import { checkout, configureAwsCredentials, setupBuildx } from '../../support/workflow-runner/modelled-actions';
import { TLS_REGISTRY_TOOLS, TlsRegistry, startTlsRegistry } from '../../support/workflow-runner/tls-registry';

const REPO_ROOT = join(__dirname, '..', '..', '..');
const ACCOUNT = '210987654321';
const PASSWORD = 'masking-e2e-password';
const SHA = 'c0ffee0123456789abcdef0123456789abcdef01';

// A fixture service, not this repository's values: the rule must hold for any valid spec.
const overrides = { serviceName: 'orders-api', region: 'eu-central-1', github: { owner: 'acme', repo: 'orders-api' } };
const spec = normaliseServiceOptions({ ...seedOptions(), ...overrides });
// Two stages, so every consumer of the promotion graph is in view.
const { pipeline, pullRequest, rollback } = synthWorkflows(undefined, undefined, { ...overrides, ...TWO_STAGES });

jest.setTimeout(300_000);

describeWithTools('job outputs under the runner\'s masking rule (real buildah push to an ECR-named registry)', { commands: TLS_REGISTRY_TOOLS, root: true }, () => {
  const registryHost = `${ACCOUNT}.dkr.ecr.${spec.region}.amazonaws.com`;
  let registry: TlsRegistry;
  let ecr: AwsJsonServer;
  let workspace: string;

  beforeAll(async () => {
    registry = await startTlsRegistry(registryHost, PASSWORD);
    workspace = mkdtempSync(join(tmpdir(), 'slipway-masking-workspace-'));
    mkdirSync(join(workspace, spec.container.imageContext));
    writeFileSync(join(workspace, spec.container.imageContext, 'service.txt'), 'orders-api\n');
    writeFileSync(join(workspace, spec.container.imageContext, 'Dockerfile'), 'FROM scratch\nARG PORT\nCOPY service.txt /service.txt\n');
    const completedAt = Date.now() / 1000;
    ecr = await startAwsJsonServer({
      GetAuthorizationToken: () => ({
        authorizationData: [{
          authorizationToken: Buffer.from(`AWS:${PASSWORD}`).toString('base64'),
          proxyEndpoint: `https://${registry.host}`,
          expiresAt: completedAt + 43200,
        }],
      }),
      BatchGetImage: async (body) => {
        const id = (body.imageIds as { imageTag?: string; imageDigest?: string }[])[0];
        const m = await registry.manifest(String(body.repositoryName), id.imageTag ?? id.imageDigest!);
        const image = { imageId: { imageDigest: m.digest, imageTag: id.imageTag }, imageManifest: m.body, imageManifestMediaType: m.mediaType };
        return { images: [image], failures: [] };
      },
      DescribeImages: () => ({ imageDetails: [] }),
      GetRegistryScanningConfiguration: () => ({ registryId: ACCOUNT, scanningConfiguration: { scanType: 'BASIC', rules: [] } }),
      DescribeRepositories: (body) => ({
        repositories: (body.repositoryNames as string[]).map((name) => ({
          repositoryName: name,
          registryId: ACCOUNT,
          imageTagMutability: 'IMMUTABLE',
          imageScanningConfiguration: { scanOnPush: true },
          repositoryUri: `${registryHost}/${name}`,
        })),
      }),
      // A basic scan that completed with no finding (ECR DescribeImageScanFindings reply shape).
      DescribeImageScanFindings: () => ({
        imageScanStatus: { status: 'COMPLETE', description: 'The scan was completed successfully.' },
        imageScanFindings: { imageScanCompletedAt: completedAt, vulnerabilitySourceUpdatedAt: completedAt, findingSeverityCounts: {}, findings: [] },
      }),
    });
  });

  afterAll(async () => {
    await ecr?.close();
    await registry?.stop();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  function world(): JobWorld {
    return {
      repoRoot: REPO_ROOT,
      workspace,
      contexts: {
        github: { sha: SHA, run_id: '4242', repository: `${spec.github.owner}/${spec.github.repo}` },
        vars: {
          [spec.pipeline.imagePushRoleVariable]: `arn:aws:iam::${ACCOUNT}:role/orders-api-access-ImagePushRole-ABC123`,
          [spec.pipeline.deployRoleVariable]: `arn:aws:iam::${ACCOUNT}:role/orders-api-access-DeployRole-DEF456`,
        },
        secrets: {},
      },
      models: {
        'actions/checkout': checkout,
        'docker/setup-buildx-action': setupBuildx,
        'aws-actions/configure-aws-credentials': configureAwsCredentials((roleArn) => ({
          accessKeyId: 'ASIATESTMASKING00001',
          secretAccessKey: 'masking-test-secret-access-key',
          sessionToken: 'masking-test-session-token',
          account: ACCOUNT,
          arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${roleArn.split('/').pop()}/orders-api-image-push-4242`,
        })),
      },
      env: { ...registry.builderEnv, AWS_ENDPOINT_URL_ECR: ecr.url },
      // No docker daemon here: the same action's buildah builder stands in for docker buildx.
      inputOverrides: { './actions/ecr-image': { inputs: { builder: 'buildah' }, why: 'no docker daemon on this machine' } },
      wrapper: registry.wrapper,
    };
  }

  const consumed = [
    ...consumedJobOutputs(pipeline.jobs).map((c) => ({ ...c, workflow: 'pipeline' as const })),
    ...consumedJobOutputs(pullRequest.jobs).map((c) => ({ ...c, workflow: 'pull-request' as const })),
    ...consumedJobOutputs(rollback!.jobs).map((c) => ({ ...c, workflow: 'rollback' as const })),
  ];

  test('the job outputs the generated workflows hand on: the image\'s, to the release job alone (the stages read the manifest)', () => {
    expect(consumed.map((c) => `${c.workflow}: ${c.consumer} ← ${c.job}.${c.output}`).sort()).toEqual([
      'pipeline: release ← image.image-digest',
      'pipeline: release ← image.image-uri',
    ]);
  });

  test.each(consumed)('$workflow: $consumer reads output $output of job $job: set, non-empty, unmasked', async ({ workflow, job, output }) => {
    const jobs = ({ 'pipeline': pipeline, 'pull-request': pullRequest, 'rollback': rollback! })[workflow].jobs as Workflow['jobs'];
    const run = await runJob(jobs[job] as unknown as WorkflowJob, world());
    expect(run.outputs.skipped).toEqual({});
    const value = run.outputs.set[output];
    expect(value).toEqual(expect.any(String));
    expect(value.length).toBeGreaterThan(0);
    for (const secret of run.secrets) expect(value).not.toContain(secret);
    if (output === 'image-uri') expect(value).toBe(`${registry.host}/${spec.names.ecrRepository}:${SHA}`);
    if (output === 'image-digest') expect(value).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  test('the rule bites: the same image job with mask-aws-account-id: true (the workflow before this fix) loses image-uri', async () => {
    const masked = JSON.parse(JSON.stringify(pipeline.jobs.image)) as WorkflowJob & { steps: { id?: string; with?: Record<string, unknown> }[] };
    masked.steps.find((s) => s.id === 'aws-credentials')!.with!['mask-aws-account-id'] = true;
    const run = await runJob(masked, world());
    expect(run.secrets).toContain(ACCOUNT);
    expect(run.outputs.skipped['image-uri']).toBe("Skip output 'image-uri' since it may contain secret.");
    expect(run.outputs.set['image-uri']).toBeUndefined();
  });
});
