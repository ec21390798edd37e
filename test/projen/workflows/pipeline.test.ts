import { spawnSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { actionlint } from './actionlint';
import { Job, PIPELINE_PATH, Step, Workflow, graphOf, needsOf, synthWorkflows, usesOf } from './synth';
import { criticalPath, isLocalOrShaPinned, PINNED_ACTIONS, RELEASE_RETENTION_DAYS } from '../../../src/projen/workflows';
import { CONFIGURE_HOSTS_SESSION_SECONDS, CONFIGURE_HOSTS_TIMEOUT_MINUTES } from '../../../src/spec';

const seed = synthWorkflows();
const { pipeline } = seed;
/** The seed has one stage, production: its jobs carry the stage's name. */
const DEPLOY = 'deploy-production';
const HOSTS = 'configure-hosts-production';

function step(job: Job, id: string) {
  const found = job.steps.find((s) => s.id === id);
  if (!found) throw new Error(`no step '${id}' in job '${job.name}': ${job.steps.map((s) => s.id).join(', ')}`);
  return found;
}

/** Every `needs.<job>` an expression reads must be a job this job waits for. */
function danglingNeedsReferences(workflow: Workflow): string[] {
  return Object.entries(workflow.jobs).flatMap(([id, job]) => {
    const text = JSON.stringify(job);
    const referenced = [...text.matchAll(/needs\.([A-Za-z0-9_-]+)\./g)].map((m) => m[1]);
    return referenced.filter((r) => !needsOf(job).includes(r)).map((r) => `${id} reads needs.${r} without needing it`);
  });
}

describe('pipeline.yml for the seed spec', () => {
  test('actionlint reports nothing', async () => {
    expect(await actionlint(seed.pipelineText, PIPELINE_PATH)).toEqual([]);
  });

  test('actionlint is not vacuous: a job needing a missing job is reported', async () => {
    const broken = seed.pipelineText.replace(/\n {2}sonar:\n {4}name: sonar\n/, '\n  sonar-renamed:\n    name: sonar\n');
    expect(broken).not.toEqual(seed.pipelineText);
    const findings = await actionlint(broken, PIPELINE_PATH);
    expect(findings.join('\n')).toMatch(/sonar/);
  });

  test('runs on pushes to the deploy branches and by hand', () => {
    expect(pipeline.on).toEqual({ push: { branches: ['main'] }, workflow_dispatch: {} });
  });

  test('the job graph is build → { sonar ‖ veracode ‖ image } → release → deploy-production → configure-hosts-production', () => {
    expect(graphOf(pipeline)).toEqual({
      build: [],
      sonar: ['build'],
      veracode: ['build'],
      image: ['build'],
      release: ['build', 'sonar', 'veracode', 'image'],
      [DEPLOY]: ['release'],
      [HOSTS]: [DEPLOY],
    });
    // Five jobs deep: the scans and the image never wait for each other.
    expect(criticalPath(graphOf(pipeline))).toHaveLength(5);
    expect(danglingNeedsReferences(pipeline)).toEqual([]);
  });

  test('only deploys and host configuration queue, together per environment, nothing cancelled; a push during a deploy is built and scanned at once', () => {
    expect(pipeline.concurrency).toBeUndefined();
    const serialised = [DEPLOY, HOSTS];
    for (const id of serialised) expect([id, pipeline.jobs[id].concurrency]).toEqual([id, { 'group': 'deploy-production', 'cancel-in-progress': false }]);
    for (const [id, job] of Object.entries(pipeline.jobs)) if (!serialised.includes(id)) expect([id, job.concurrency]).toEqual([id, undefined]);
  });

  test('least privilege: contents read by default; OIDC only where AWS is called; no code scanning by default', () => {
    expect(pipeline.permissions).toEqual({ contents: 'read' });
    const perms = Object.fromEntries(Object.entries(pipeline.jobs).map(([id, job]) => [id, job.permissions]));
    expect(perms).toEqual({
      build: { contents: 'read' },
      sonar: { contents: 'read' },
      veracode: { contents: 'read' },
      image: { 'contents': 'read', 'id-token': 'write' },
      release: { contents: 'read' },
      // deployments: write records the GitHub Deployment of the execution (actions/codepipeline-deploy 'environment').
      [DEPLOY]: { 'contents': 'read', 'id-token': 'write', 'deployments': 'write' },
      [HOSTS]: { 'contents': 'read', 'id-token': 'write' },
    });
  });

  test('every job has a timeout, and the deploy job outlasts the bridge it runs', () => {
    for (const [id, job] of Object.entries(pipeline.jobs)) {
      expect([id, typeof job['timeout-minutes']]).toEqual([id, 'number']);
    }
    const bridgeWait = Number(step(pipeline.jobs[DEPLOY], 'deploy').with!['timeout-minutes']);
    expect(pipeline.jobs[DEPLOY]['timeout-minutes']!).toBeGreaterThan(bridgeWait);
    const scanWait = Number(step(pipeline.jobs.veracode, 'veracode').with!['timeout-minutes']);
    expect(pipeline.jobs.veracode['timeout-minutes']!).toBeGreaterThan(scanWait);
  });

  test('every uses: is a local action or pinned to a full commit SHA with its version in a comment', () => {
    const all = usesOf(pipeline);
    expect(all.filter((u) => !isLocalOrShaPinned(u.uses))).toEqual([]);
    for (const pin of Object.values(PINNED_ACTIONS)) {
      for (const line of seed.pipelineText.split('\n').filter((l) => l.includes(`${pin.action}@`))) {
        expect(line.trim()).toMatch(new RegExp(`uses: ${pin.action}@${pin.sha} # ${pin.version.replace(/\./g, '\\.')}$`));
      }
    }
    expect(all.filter((u) => u.uses.startsWith('./')).map((u) => `${u.job}:${u.uses}`)).toEqual([
      'sonar:./actions/sonar-scan',
      'veracode:./actions/veracode-scan',
      'image:./actions/ecr-image',
      `${DEPLOY}:./actions/codepipeline-deploy`,
    ]);
  });

  test('build: npm cache, npm ci, bundles, the projen build, then anti-tamper before anything is uploaded', () => {
    const ids = pipeline.jobs.build.steps.map((s) => s.id);
    expect(ids).toEqual([
      'checkout', 'setup-node', 'install', 'app-packages', 'service-checks', 'anti-tamper',
      'package-cloud-assembly', 'package-scan-artifact', 'upload-cloud-assembly', 'upload-veracode-scan-artifact', 'upload-coverage',
    ]);
    expect(step(pipeline.jobs.build, 'setup-node').with).toMatchObject({ 'cache': 'npm', 'node-version': '22' });
    expect(step(pipeline.jobs.build, 'install').run).toBe('npm ci --no-audit --no-fund');
    expect(step(pipeline.jobs.build, 'service-checks').run).toBe('npx projen test:service');
    // The service checks need no root and no apt beyond the app's own test packages.
    const runs = pipeline.jobs.build.steps.map((s) => s.run ?? '').join('\n');
    expect(runs).not.toMatch(/sudo -E|\.ci\/apt-packages/);
    expect(step(pipeline.jobs.build, 'app-packages').run).toContain('python3-flask python3-pytest');
    expect(step(pipeline.jobs.build, 'anti-tamper').run).toContain('git status --porcelain --untracked-files=all');
    expect(step(pipeline.jobs.build, 'anti-tamper').run).toContain('exit 1');
  });

  test('artifacts: what build and release upload is what the later jobs download', () => {
    const uploadsOf = (id: string) => pipeline.jobs[id].steps.filter((s) => s.id?.startsWith('upload-')).map((s) => String(s.with!.name));
    const uploaded = [...uploadsOf('build'), ...uploadsOf('release')];
    const downloaded = Object.values(pipeline.jobs).flatMap((j) => j.steps.filter((s) => s.id?.startsWith('download-')).map((s) => String(s.with!.name)));
    expect([...new Set(uploaded)].sort()).toEqual([...new Set(downloaded)].sort());
    expect(uploaded).toHaveLength(new Set(uploaded).size);
    expect(step(pipeline.jobs.sonar, 'download-coverage').with).toEqual({ name: 'coverage', path: 'coverage' });
    expect(step(pipeline.jobs.veracode, 'veracode').with!.file).toBe(step(pipeline.jobs.build, 'upload-veracode-scan-artifact').with!.path);
    expect(step(pipeline.jobs[DEPLOY], 'deploy').with!['source-file']).toBe(step(pipeline.jobs.build, 'upload-cloud-assembly').with!.path);
  });

  test('sonar: the spec names the server, the project and the token secret', () => {
    expect(step(pipeline.jobs.sonar, 'checkout').with!['fetch-depth']).toBe(0);
    expect(step(pipeline.jobs.sonar, 'sonar').with).toEqual({
      'host-url': 'https://sonarcloud.io',
      'organization': 'slipway-dev',
      'project-key': 'slipway-dev_flask-app',
      'token': '${{ secrets.SONAR_TOKEN }}',
    });
  });

  test('veracode: the secrets from the spec; the SARIF kept as an artifact even when the gate fails; no code scanning upload by default', () => {
    const scan = step(pipeline.jobs.veracode, 'veracode');
    expect(scan.with).toMatchObject({ 'api-id': '${{ secrets.VERACODE_API_ID }}', 'api-key': '${{ secrets.VERACODE_API_KEY }}', 'fail-on-severity': 'high' });
    const kept = step(pipeline.jobs.veracode, 'upload-veracode-sarif');
    expect(kept.with).toMatchObject({ name: 'veracode-sarif', path: scan.with!['sarif-file'], overwrite: true });
    expect(kept.if).toContain('!cancelled()');
    expect(pipeline.jobs.veracode.steps.some((s) => s.uses?.includes('upload-sarif'))).toBe(false);
  });

  test('veracode with pipeline.codeScanning: uploads to code scanning too, with security-events write', async () => {
    const { pipeline: p, pipelineText } = synthWorkflows({ codeScanning: true });
    const scan = step(p.jobs.veracode, 'veracode');
    const sarif = step(p.jobs.veracode, 'upload-sarif');
    expect(sarif.uses).toMatch(/^github\/codeql-action\/upload-sarif@[0-9a-f]{40}$/);
    expect(sarif.with!.sarif_file).toBe(scan.with!['sarif-file']);
    expect(sarif.if).toContain('!cancelled()');
    expect(p.jobs.veracode.permissions).toEqual({ 'contents': 'read', 'security-events': 'write', 'actions': 'read' });
    expect(p.jobs.veracode.steps.map((s) => s.id).slice(-2)).toEqual(['upload-sarif', 'upload-veracode-sarif']);
    expect(await actionlint(pipelineText, PIPELINE_PATH)).toEqual([]);
  });

  test('sonar: an empty token on a Dependabot pull request skips the scan with a notice; for anyone else it fails', () => {
    const check = step(pipeline.jobs.sonar, 'sonar-token');
    expect(check.env).toEqual({ TOKEN_SET: "${{ secrets.SONAR_TOKEN != '' }}", ACTOR: '${{ github.actor }}' });
    expect(check.run).toContain('dependabot[bot]');
    expect(check.run).toContain('::notice title=Sonar skipped::');
    expect(check.run).toContain('exit 1');
    for (const s of pipeline.jobs.sonar.steps.slice(1)) expect([s.id, s.if]).toEqual([s.id, "steps.sonar-token.outputs.run == 'true'"]);
  });

  test('every artifact upload overwrites, so a re-run of a job does not conflict with its first attempt', () => {
    const uploads = Object.values(pipeline.jobs).flatMap((j) => j.steps.filter((s) => s.uses?.startsWith('actions/upload-artifact@')));
    expect(uploads.length).toBeGreaterThan(0);
    for (const u of uploads) expect([u.id, u.with!.overwrite]).toEqual([u.id, true]);
  });

  test('image: a buildx builder, OIDC credentials for the image-push role, then the ECR image with the gha cache', () => {
    const ids = pipeline.jobs.image.steps.map((s) => s.id);
    expect(ids).toEqual(['checkout', 'setup-buildx', 'aws-credentials', 'image']);
    expect(step(pipeline.jobs.image, 'setup-buildx').uses).toMatch(/^docker\/setup-buildx-action@[0-9a-f]{40}$/);
    expect(step(pipeline.jobs.image, 'aws-credentials').with).toEqual({
      'role-to-assume': '${{ vars.AWS_IMAGE_PUSH_ROLE_ARN }}',
      'aws-region': 'eu-west-1',
      'role-session-name': 'flask-app-image-push-${{ github.run_id }}',
      'mask-aws-account-id': false,
    });
    expect(step(pipeline.jobs.image, 'image').with!.cache).toBe('gha');
    expect(step(pipeline.jobs.image, 'image').with).toMatchObject({
      'registry': 'ecr',
      'repository': 'flask-app',
      'context': 'app',
      'tags': '${{ github.sha }}',
      'scan-severity-threshold': 'HIGH',
      'build-args': 'PORT=8000\nHEALTH_CHECK_PATH=/health\nSERVICE_NAME=flask-app',
    });
    expect(pipeline.jobs.image.outputs).toEqual({ 'image-uri': '${{ steps.image.outputs.image-uri }}', 'image-digest': '${{ steps.image.outputs.digest }}' });
    expect(pipeline.jobs.image.if).toBe("github.ref == 'refs/heads/main'");
  });

  test('deploy: main only, in the production environment, CodePipeline with the released image and the cloud assembly', () => {
    const deploy = pipeline.jobs[DEPLOY];
    expect(deploy.name).toBe('deploy production');
    expect(deploy.if).toBe("github.ref == 'refs/heads/main'");
    expect(deploy.environment).toEqual({ name: 'production', url: '${{ steps.deploy.outputs.execution-url }}' });
    expect(deploy.steps.map((s) => s.id)).toEqual(['checkout', 'download-cloud-assembly', 'download-release-manifest', 'release', 'aws-credentials', 'deploy']);
    expect(step(deploy, 'aws-credentials').with).toMatchObject({ 'role-to-assume': '${{ vars.AWS_DEPLOY_ROLE_ARN }}', 'role-duration-seconds': 7200 });
    expect(deploy['timeout-minutes']).toBe(75);
    expect(step(deploy, 'release').env).toEqual({ STAGE: 'production', SOURCE_RUN: '${{ github.run_id }}' });
    expect(step(deploy, 'deploy').with).toEqual({
      'pipeline-name': 'flask-app-production-deploy',
      'source-file': 'cloud-assembly.zip',
      'source-bucket': '${{ vars.PIPELINE_SOURCE_BUCKET }}',
      'source-key': 'releases/flask-app/production/cloud-assembly.zip',
      'variables': 'IMAGE_URI=${{ steps.release.outputs.image-uri }}\nCOMMIT_SHA=${{ steps.release.outputs.commit-sha }}',
      'timeout-minutes': 60,
      'environment': 'production',
    });
  });

  test('release: after every gate, writes the manifest from the image job\'s outputs and keeps it as long as the assembly', () => {
    const release = pipeline.jobs.release;
    expect(release.if).toBe(pipeline.jobs.image.if);
    expect(release.steps.map((s) => s.id)).toEqual(['download-cloud-assembly', 'release-manifest', 'upload-release-manifest']);
    expect(step(release, 'release-manifest').env).toEqual({
      SERVICE: 'flask-app',
      IMAGE_TAG_URI: '${{ needs.image.outputs.image-uri }}',
      IMAGE_DIGEST: '${{ needs.image.outputs.image-digest }}',
      COMMIT_SHA: '${{ github.sha }}',
      REF: '${{ github.ref }}',
      RUN_ID: '${{ github.run_id }}',
      RUN_ATTEMPT: '${{ github.run_attempt }}',
      STAGES: 'production',
    });
    // Values reach the script through env, never through the command text.
    expect(step(release, 'release-manifest').run).not.toContain('${{');
    const keep = (job: string, id: string) => step(pipeline.jobs[job], id).with!['retention-days'];
    expect(keep('release', 'upload-release-manifest')).toBe(RELEASE_RETENTION_DAYS);
    expect(keep('build', 'upload-cloud-assembly')).toBe(RELEASE_RETENTION_DAYS);
    expect(RELEASE_RETENTION_DAYS).toBe(90);
    // Scan inputs are for this run only.
    expect(keep('build', 'upload-coverage')).toBe(7);
  });

  test('snapshot', () => {
    expect(seed.pipelineText).toMatchSnapshot();
  });
});

describe('stage toggles remove jobs and their needs cleanly', () => {
  const cases: { stages: Record<string, boolean>; jobs: Record<string, string[]> }[] = [
    { stages: { veracode: false }, jobs: { build: [], sonar: ['build'], image: ['build'], release: ['build', 'sonar', 'image'], [DEPLOY]: ['release'], [HOSTS]: [DEPLOY] } },
    { stages: { sonar: false }, jobs: { build: [], veracode: ['build'], image: ['build'], release: ['build', 'veracode', 'image'], [DEPLOY]: ['release'], [HOSTS]: [DEPLOY] } },
    { stages: { sonar: false, veracode: false }, jobs: { build: [], image: ['build'], release: ['build', 'image'], [DEPLOY]: ['release'], [HOSTS]: [DEPLOY] } },
    { stages: { deploy: false }, jobs: { build: [], sonar: ['build'], veracode: ['build'], image: ['build'] } },
    { stages: { image: false, deploy: false }, jobs: { build: [], sonar: ['build'], veracode: ['build'] } },
    { stages: { sonar: false, veracode: false, image: false, deploy: false }, jobs: { build: [] } },
  ];

  test.each(cases)('stages %j', async ({ stages, jobs }) => {
    const { pipeline: p, pipelineText, pullRequest } = synthWorkflows({ stages });
    expect(graphOf(p)).toEqual(jobs);
    expect(danglingNeedsReferences(p)).toEqual([]);
    expect(await actionlint(pipelineText, PIPELINE_PATH)).toEqual([]);
    // Nothing is uploaded for a job that is gone.
    const uploads = p.jobs.build.steps.filter((s) => s.id?.startsWith('upload-')).map((s) => s.with!.name).sort();
    const expected = [
      ...(DEPLOY in jobs ? ['cloud-assembly'] : []),
      ...('sonar' in jobs ? ['coverage'] : []),
      ...('veracode' in jobs ? ['veracode-scan-artifact'] : []),
    ].sort();
    expect(uploads).toEqual(expected);
    expect('sonar' in pullRequest.jobs).toBe('sonar' in jobs);
    expect(p.jobs.release === undefined).toBe(!(DEPLOY in jobs));
  });
});

describe('configure-hosts: every host configured over SSM after each deploy', () => {
  const job = pipeline.jobs[HOSTS];

  test('after a successful deploy, on the deploy branch, in the environment the hosts role trusts', () => {
    expect(needsOf(job)).toEqual([DEPLOY]);
    expect(job.if).toBe(pipeline.jobs[DEPLOY].if);
    expect(job.environment).toEqual({ name: 'production' });
    expect(job.permissions).toEqual({ 'contents': 'read', 'id-token': 'write' });
    expect(job['timeout-minutes']).toBe(CONFIGURE_HOSTS_TIMEOUT_MINUTES);
  });

  test('installs what the driver needs, assumes the hosts role for longer than the job, then runs the driver over SSM', () => {
    expect(job.steps.map((s) => s.id)).toEqual(['checkout', 'setup-node', 'install', 'setup-python', 'install-ansible', 'session-manager-plugin', 'aws-credentials', 'wait-for-ssm', 'configure-hosts']);
    const install = step(job, 'install-ansible').run!;
    for (const part of ['ansible-core', 'boto3', 'botocore', 'ansible-galaxy collection install -r ansible/requirements.yml']) expect(install).toContain(part);
    // The runner image ships the plugin; the step only proves it is there and fails naming it otherwise.
    expect(step(job, 'session-manager-plugin').run).toMatch(/command -v session-manager-plugin[\s\S]*exit 1/);
    expect(step(job, 'aws-credentials').with).toEqual({
      'role-to-assume': '${{ vars.AWS_HOSTS_ROLE_ARN }}',
      'aws-region': 'eu-west-1',
      'role-session-name': 'flask-app-hosts-${{ github.run_id }}',
      'mask-aws-account-id': false,
      'role-duration-seconds': CONFIGURE_HOSTS_SESSION_SECONDS,
    });
    expect(CONFIGURE_HOSTS_SESSION_SECONDS).toBeGreaterThan(CONFIGURE_HOSTS_TIMEOUT_MINUTES * 60);
    // The driver exits 1 naming every host that was not configured; nothing here swallows it.
    expect(step(job, 'configure-hosts')).toEqual(expect.objectContaining({ run: 'npx projen configure-hosts --connection ssm --stage production' }));
    expect(step(job, 'configure-hosts')['continue-on-error' as keyof Step]).toBeUndefined();
  });

  describe('the wait for new hosts to register with SSM, run by bash against a fake aws CLI', () => {
    const dir = mkdtempSync(join(tmpdir(), 'slipway-wait-ssm-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    // The CLI's text output: describe-instances prints the ids tab-separated; describe-instance-information's
    // PingStatus query prints 'None' for an instance SSM does not know yet, then 'Online'.
    writeFileSync(join(dir, 'aws'), [
      '#!/bin/bash',
      'echo "$*" >> "$AWS_LOG"',
      'case "$1 $2" in',
      '  "ec2 describe-instances") printf "i-old\\ti-new\\n" ;;',
      '  "ssm describe-instance-information")',
      '    id=${4#Key=InstanceIds,Values=}',
      '    n=$(grep -c "Values=$id" "$AWS_LOG")',
      '    if [ "$id" = i-old ] || [ "$n" -gt "$NEW_ONLINE_AFTER" ]; then echo Online; else echo None; fi ;;',
      '  *) echo "unexpected: $*" >&2; exit 2 ;;',
      'esac',
    ].join('\n'), { mode: 0o755 });
    const run = (env: Record<string, string>, log: string) => {
      const wait = step(job, 'wait-for-ssm');
      // As the runner runs a `run:` step on Linux: bash --noprofile --norc -eo pipefail {0}.
      const script = join(dir, `${log}.sh`);
      writeFileSync(script, wait.run!);
      return spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
        encoding: 'utf8',
        env: { PATH: `${dir}:${process.env.PATH}`, ...wait.env, INTERVAL_SECONDS: '0', AWS_LOG: join(dir, log), ...env },
      });
    };

    test('waits for a host the deploy just launched, then goes on; the filters are the spec\'s tags', () => {
      const result = run({ NEW_ONLINE_AFTER: '2' }, 'ok.log');
      expect([result.status, result.stderr]).toEqual([0, '']);
      expect(result.stdout).toContain('waiting for SSM: i-new');
      expect(result.stdout).toContain('every host is registered with SSM:i-old\ti-new');
      const calls = readFileSync(join(dir, 'ok.log'), 'utf8');
      expect(calls).toContain('ec2 describe-instances --filters Name=tag:slipway:service,Values=flask-app Name=tag:slipway:environment,Values=production Name=tag:slipway:role,Values=app Name=instance-state-name,Values=running');
    });

    test('fails naming the host that never registers', () => {
      const result = run({ NEW_ONLINE_AFTER: '1000', TIMEOUT_SECONDS: '0' }, 'never.log');
      expect(result.status).toBe(1);
      expect(result.stdout).toMatch(/::error::not registered with SSM after 0 s: i-new \(/);
    });
  });

  test('the role variable comes from the spec', async () => {
    const { pipeline: p, pipelineText } = synthWorkflows({ hostsRoleVariable: 'HOSTS_ROLE_ARN' });
    expect(step(p.jobs[HOSTS], 'aws-credentials').with!['role-to-assume']).toBe('${{ vars.HOSTS_ROLE_ARN }}');
    expect(await actionlint(pipelineText, PIPELINE_PATH)).toEqual([]);
  });

  test('no job without hosts, and none without the deploy stage; a hook on it says why', async () => {
    const noHosts = synthWorkflows(undefined, undefined, { hosts: { count: 0 } });
    expect(Object.keys(noHosts.pipeline.jobs)).not.toContain(HOSTS);
    expect(noHosts.pipeline.jobs[DEPLOY]).toBeDefined();
    expect(await actionlint(noHosts.pipelineText, PIPELINE_PATH)).toEqual([]);
    expect(Object.keys(synthWorkflows({ stages: { deploy: false } }).pipeline.jobs)).not.toContain(HOSTS);
    expect(() => synthWorkflows(undefined, (w) => w.pipeline.addSteps('configure-hosts', { before: [{ run: 'true' }] }), { hosts: { count: 0 } }))
      .toThrow(/configure-hosts.*hosts\.count > 0/);
  });
});

describe('spec values flow into the pipeline', () => {
  test('Docker Hub: no AWS credentials and no id-token in the image job; the Docker Hub secrets instead', async () => {
    const { pipeline: p, pipelineText } = synthWorkflows({
      registry: 'dockerhub',
      dockerHubRepository: 'slipway/flask-app',
      secrets: { dockerHubUsername: 'HUB_USER', dockerHubToken: 'HUB_TOKEN' },
    });
    expect(p.jobs.image.permissions).toEqual({ contents: 'read' });
    expect(p.jobs.image.steps.map((s) => s.id)).toEqual(['checkout', 'setup-buildx', 'image']);
    expect(step(p.jobs.image, 'image').with).toMatchObject({
      'registry': 'dockerhub',
      'repository': 'slipway/flask-app',
      'registry-username': '${{ secrets.HUB_USER }}',
      'registry-password': '${{ secrets.HUB_TOKEN }}',
      'scan-severity-threshold': 'NONE',
    });
    expect(await actionlint(pipelineText, PIPELINE_PATH)).toEqual([]);
  });

  test('branches, environment, variables, secrets, thresholds and the Node version come from the spec', async () => {
    const { pipeline: p, pipelineText } = synthWorkflows(
      {
        deployRoleVariable: 'DEPLOY_ROLE',
        sourceBucketVariable: 'RELEASE_BUCKET',
        secrets: { sonarToken: 'SONARCLOUD', veracodeApiId: 'VC_ID', veracodeApiKey: 'VC_KEY' },
        veracodeFailOnSeverity: 'medium',
        imageScanThreshold: 'CRITICAL',
        nodeVersion: '24',
        imagePushRoleVariable: 'PUSH_ROLE',
        deployWaitMinutes: 150,
      },
      undefined,
      { environment: 'staging', github: { owner: 'slipway-dev', repo: 'flask-app', branches: ['main', 'release'] } },
    );
    expect(p.on.push).toEqual({ branches: ['main', 'release'] });
    const branches = "github.ref == 'refs/heads/main' || github.ref == 'refs/heads/release'";
    const deploy = p.jobs['deploy-staging'];
    expect(deploy.if).toBe(branches);
    expect(p.jobs.image.if).toBe(branches);
    expect(p.jobs.release.if).toBe(branches);
    expect(deploy.environment!.name).toBe('staging');
    expect(deploy.concurrency).toEqual({ 'group': 'deploy-staging', 'cancel-in-progress': false });
    expect(pipelineText).toContain('${{ vars.DEPLOY_ROLE }}');
    expect(pipelineText).toContain('${{ vars.RELEASE_BUCKET }}');
    expect(pipelineText).not.toContain('AWS_DEPLOY_ROLE_ARN');
    const secrets = [...pipelineText.matchAll(/secrets\.([A-Z_]+)/g)].map((m) => m[1]).sort();
    expect([...new Set(secrets)]).toEqual(['SONARCLOUD', 'VC_ID', 'VC_KEY']);
    expect(step(p.jobs.veracode, 'veracode').with!['fail-on-severity']).toBe('medium');
    expect(step(p.jobs.image, 'image').with!['scan-severity-threshold']).toBe('CRITICAL');
    expect(step(p.jobs.build, 'setup-node').with!['node-version']).toBe('24');
    expect(pipelineText).toContain('${{ vars.PUSH_ROLE }}');
    // 150 min wait + 15 min stop window: a 165-minute job inside a 3-hour session.
    expect(step(deploy, 'deploy').with!['timeout-minutes']).toBe(150);
    expect(deploy['timeout-minutes']).toBe(165);
    expect(step(deploy, 'aws-credentials').with!['role-duration-seconds']).toBe(10800);
    expect(await actionlint(pipelineText, PIPELINE_PATH)).toEqual([]);
  });

  test('the container port and health path reach the image build', () => {
    const { pipeline: p } = synthWorkflows(undefined, undefined, { container: { port: 5000, healthCheckPath: '/healthz' } });
    expect(step(p.jobs.image, 'image').with!['build-args']).toBe('PORT=5000\nHEALTH_CHECK_PATH=/healthz\nSERVICE_NAME=flask-app');
  });
});
