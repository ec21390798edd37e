/**
 * `.github/workflows/rollback.yml`: a person deploys an earlier release to one stage. They pick the stage and
 * the run id of an earlier pipeline run; the workflow checks that run (a pipeline run from a deploy branch whose
 * release artifacts are still kept), then runs that stage's own deploy job, in its Environment (reviewers,
 * variables, the deploy role's subject), on that run's cloud assembly and release manifest: the old image by its
 * digest, the old stacks. Nothing is built. Hosts are then configured by this branch's Ansible (host
 * configuration is not part of a release).
 */
import { Component, github } from 'projen';
import { CONFIGURE_HOSTS_WORK_STEPS, configureHostsJob, configureHostsJobId, hasConfigureHostsJob } from './configure-hosts-job';
import { DEPLOY_WORK_STEPS, deployJob, deployJobId } from './deploy-job';
import { StepHooks, WorkSteps, insertHooks } from './job-hooks';
import { PIPELINE_FILE } from './pipeline-workflow';
import { ARTIFACTS, RELEASE_RETENTION_DAYS, RUNNER } from './steps';
import { finishWorkflowFile } from './workflow-file';
import type { EstateSpec } from '../../spec';

export const ROLLBACK_FILE = 'rollback.yml';
export const ROLLBACK_VERIFY_JOB_ID = 'verify';
export const ROLLBACK_INPUTS = { stage: 'stage', runId: 'run_id' } as const;
/** The earlier run's id, as the jobs read it. */
const RUN_ID = `\${{ inputs.${ROLLBACK_INPUTS.runId} }}`;

/**
 * Checks the run a person named before any stage is touched, failing with the run id and what to do instead:
 * a pipeline run from a deploy branch, its release artifacts still kept, and (for any stage but the first) the
 * release deployed to the stage before by that run, so this workflow cannot promote past a stage.
 * env: RUN_ID, STAGE, GH_TOKEN; the runner's GITHUB_API_URL, GITHUB_REPOSITORY, GITHUB_REF and RUNNER_TEMP.
 * Uses GET /repos/{owner}/{repo}/actions/runs/{run_id}, .../runs/{run_id}/artifacts?name= and .../runs/{run_id}/jobs
 * (https://docs.github.com/en/rest/actions/workflow-runs, https://docs.github.com/en/rest/actions/artifacts,
 * https://docs.github.com/en/rest/actions/workflow-jobs).
 */
export function verifyRollbackScript(estate: EstateSpec): string {
  const branches = estate.github.branches;
  const pipelinePath = `.github/workflows/${PIPELINE_FILE}`;
  const artifacts = [ARTIFACTS.cloudAssembly.name, ARTIFACTS.releaseManifest.name];
  const stages = estate.stages.map((s) => s.stage.name);
  return [
    'set -euo pipefail',
    'fail() { echo "::error title=$1::$2"; exit 1; }',
    // The choice input is checked by GitHub's form; a dispatch through the API is checked here, so a wrong stage
    // cannot end in a green run that deployed nothing.
    'case "${STAGE}" in',
    `  ${stages.join('|')}) ;;`,
    `  *) fail "Not a stage" "'\${STAGE}' is not a stage of ${estate.serviceName}; choose one of: ${stages.join(', ')}" ;;`,
    'esac',
    'case "${GITHUB_REF}" in',
    `  ${branches.map((b) => `refs/heads/${b}`).join('|')}) ;;`,
    `  *) fail "Not a deploy branch" "run ${ROLLBACK_FILE} from ${branches.join(' or ')}: each stage's deploy role trusts it only there; this run is on \${GITHUB_REF}" ;;`,
    'esac',
    '[[ "${RUN_ID}" =~ ^[0-9]+$ ]] || fail "Not a run id" "run_id \'${RUN_ID}\' is not a number: copy it from the pipeline run\'s address (…/actions/runs/<run id>)"',
    'body="${RUNNER_TEMP}/rollback-api.json"',
    'api() {',
    '  status="$(curl -sS -o "${body}" -w \'%{http_code}\' -H "Authorization: Bearer ${GH_TOKEN}" -H "Accept: application/vnd.github+json" \\',
    '    -H "X-GitHub-Api-Version: 2022-11-28" "${GITHUB_API_URL}/repos/${GITHUB_REPOSITORY}/$1")"',
    '  [ "${status}" = 200 ] || [ "${status}" = 404 ] || fail "GitHub API error" "GET $1 answered ${status}: $(head -c 300 "${body}")"',
    '}',
    'api "actions/runs/${RUN_ID}"',
    '[ "${status}" = 200 ] || fail "No such run" "run ${RUN_ID} is not a workflow run of ${GITHUB_REPOSITORY}: copy the run id of a pipeline run from its address"',
    'path="$(jq -r \'.path // ""\' "${body}")"',
    `[ "\${path%@*}" = "${pipelinePath}" ] || fail "Not a pipeline run" "run \${RUN_ID} is a run of \${path%@*}, not ${pipelinePath}: pick a run of the pipeline, whose release job wrote the release"`,
    'branch="$(jq -r \'.head_branch // ""\' "${body}")"',
    'case "${branch}" in',
    `  ${branches.join('|')}) ;;`,
    `  *) fail "Not a release" "run \${RUN_ID} ran on \${branch}, not on a deploy branch (${branches.join(', ')}): only those runs release" ;;`,
    'esac',
    'commit="$(jq -r \'.head_sha\' "${body}")"',
    `for name in ${artifacts.join(' ')}; do`,
    '  api "actions/runs/${RUN_ID}/artifacts?name=${name}"',
    '  artifact="$(jq -c \'[.artifacts // [] | .[]] | sort_by(.created_at) | last // empty\' "${body}")"',
    '  [ -n "${artifact}" ] || fail "Release artifact missing" "run ${RUN_ID} has no artifact ${name}: its release job did not finish; pick a run whose release job succeeded"',
    '  if [ "$(jq -r \'.expired\' <<<"${artifact}")" = true ]; then',
    '    fail "Release artifact expired" "artifact ${name} of run ${RUN_ID} expired at $(jq -r \'.expires_at\' <<<"${artifact}"): releases are kept ' +
      `${RELEASE_RETENTION_DAYS} days (fewer if Settings → Actions → General → Artifact and log retention is shorter); pick a newer run, or revert the change on ${branches[0]} and let the pipeline release it"`,
    '  fi',
    'done',
    'case "${STAGE}" in',
    ...estate.stages.filter((s) => s.stage.previous).map((s) => `  ${s.stage.name}) previous=${s.stage.previous} ;;`),
    '  *) previous="" ;;',
    'esac',
    'if [ -n "${previous}" ]; then',
    // The run's latest attempt of each job; the deploy job's name is 'deploy <stage>'.
    '  api "actions/runs/${RUN_ID}/jobs?per_page=100"',
    '  conclusion="$(jq -r --arg name "deploy ${previous}" \'[.jobs // [] | .[] | select(.name == $name)] | last | .conclusion // "none"\' "${body}")"',
    '  [ "${conclusion}" = success ] || fail "Not deployed to ${previous}" "run ${RUN_ID} did not deploy to ${previous} (deploy ${previous}: ${conclusion}); a release reaches ${STAGE} only after ${previous}: roll ${previous} back to it first, or pick a run that reached ${STAGE}"',
    'fi',
    'echo "run ${RUN_ID} (${branch}, ${commit:0:12}) has its release artifacts; deploying it to ${STAGE}"',
    'echo "### Rolling ${STAGE} back to run ${RUN_ID} (${branch}, commit ${commit:0:12})" >> "${GITHUB_STEP_SUMMARY}"',
  ].join('\n');
}

export class RollbackWorkflow extends Component {
  readonly workflow: github.GithubWorkflow;
  private readonly workSteps = new Map<string, WorkSteps>();

  constructor(project: github.GitHubProject, estate: EstateSpec) {
    super(project);
    const gh = project.github;
    if (!gh) throw new Error("the rollback workflow needs GitHub support: keep 'github: true' in SlipwayProject");
    const stages = estate.stages.map((s) => s.stage.name);

    this.workflow = new github.GithubWorkflow(gh, 'rollback', { fileName: ROLLBACK_FILE });
    this.workflow.runName = `rollback \${{ inputs.${ROLLBACK_INPUTS.stage} }} to run ${RUN_ID}`;
    this.workflow.on({
      workflowDispatch: {
        inputs: {
          [ROLLBACK_INPUTS.stage]: { description: 'The stage to roll back', type: 'choice', options: stages, required: true, default: stages[0] },
          [ROLLBACK_INPUTS.runId]: {
            description: `The run id of the earlier pipeline run whose release to deploy (its address ends /actions/runs/<run id>; kept ${RELEASE_RETENTION_DAYS} days)`,
            type: 'string',
            required: true,
          },
        },
      },
    });
    this.workflow.addJob(ROLLBACK_VERIFY_JOB_ID, {
      name: 'verify the release',
      runsOn: RUNNER,
      // actions: read to read the earlier run and its artifacts.
      permissions: { contents: github.workflows.JobPermission.READ, actions: github.workflows.JobPermission.READ },
      timeoutMinutes: 5,
      steps: [{
        id: 'verify',
        name: 'Check the run: a pipeline run from a deploy branch, its release artifacts kept',
        env: { RUN_ID, STAGE: `\${{ inputs.${ROLLBACK_INPUTS.stage} }}`, GH_TOKEN: '${{ github.token }}' },
        run: verifyRollbackScript(estate),
      }],
    });
    for (const stage of estate.stages) {
      // Only the chosen stage's jobs run; the others are skipped.
      const chosen = `inputs.${ROLLBACK_INPUTS.stage} == '${stage.stage.name}'`;
      const deploy = deployJobId(stage);
      this.add(deploy, DEPLOY_WORK_STEPS, deployJob(stage, { needs: [ROLLBACK_VERIFY_JOB_ID], fromRun: RUN_ID, if: chosen }));
      if (hasConfigureHostsJob(stage)) {
        this.add(configureHostsJobId(stage), CONFIGURE_HOSTS_WORK_STEPS, configureHostsJob(stage, { needs: [deploy], if: chosen }));
      }
    }
    finishWorkflowFile(this.workflow);
  }

  get jobIds(): string[] {
    return [ROLLBACK_VERIFY_JOB_ID, ...this.workSteps.keys()];
  }

  /** Hooks a rollback job (`deploy-<stage>`, `configure-hosts-<stage>`); see PipelineWorkflow.addSteps. */
  addSteps(job: string, hooks: StepHooks): void {
    const target = this.workSteps.get(job);
    if (!target) throw new Error(`rollback has no job '${job}'; hook one of: ${[...this.workSteps.keys()].join(', ')}`);
    insertHooks(this.workflow, job, target, hooks);
  }

  private add(id: string, workSteps: WorkSteps, job: github.workflows.Job): void {
    this.workflow.addJob(id, job);
    this.workSteps.set(id, workSteps);
  }
}
