/**
 * A stage's configure-hosts job: after every deploy of the stage (which is when hosts are replaced: a new AMI,
 * a resize, a count change) it runs `npx projen configure-hosts --stage <stage>` over SSM against every host of
 * that stage, new or old, so no person has to; the next stage waits for it. The driver is idempotent: where nothing changed it changes nothing and transfers nothing.
 * The hosts have no internet; this runner fetches and verifies the exporter releases and ships them.
 */
import { github } from 'projen';
import { stageConcurrency } from './deploy-job';
import { RUNNER, awsCredentialsStep, checkoutStep, deployBranchCondition, npmCiStep, setupNodeStep, setupPythonStep } from './steps';
import { hostTagFilters } from '../../hosts/ansible-vars';
import { CONFIGURE_HOSTS_TIMEOUT_MINUTES, type ServiceSpec } from '../../spec';

type Job = github.workflows.Job;

export const CONFIGURE_HOSTS_STEP_ID = 'configure-hosts';
export const CONFIGURE_HOSTS_WORK_STEPS = { first: CONFIGURE_HOSTS_STEP_ID, last: CONFIGURE_HOSTS_STEP_ID } as const;

/** The controller's Python: ansible-core and boto3 are installed into it with pip. */
export const CONTROLLER_PYTHON = '3.12';
/** What the driver needs from pip (`npx projen configure-hosts --help`, "Prerequisites"). */
export const CONTROLLER_PIP_PACKAGES = ['ansible-core>=2.15', 'boto3', 'botocore'] as const;
export const CONFIGURE_HOSTS_COMMAND = 'npx projen configure-hosts --connection ssm';

/** The driver's command for one stage's hosts. */
export function configureHostsCommand(spec: Pick<ServiceSpec, 'stage'>): string {
  return `${CONFIGURE_HOSTS_COMMAND} --stage ${spec.stage.name}`;
}

/** A stage's configure-hosts job id in pipeline.yml and rollback.yml. */
export function configureHostsJobId(spec: Pick<ServiceSpec, 'stage'>): string {
  return `configure-hosts-${spec.stage.name}`;
}

/** Whether a stage has the job: hosts to configure, and a deploy that can replace them. */
export function hasConfigureHostsJob(spec: ServiceSpec): boolean {
  return spec.pipeline.stages.deploy && spec.hosts.count > 0;
}

/** How long a host the deploy just launched may take to register with SSM, and how often to look. */
export const SSM_REGISTRATION_WAIT = { timeoutSeconds: 600, intervalSeconds: 15 } as const;

/**
 * StartSession on an instance whose SSM agent has not registered yet fails (TargetNotConnected), and
 * aws_ssm retries only file transfers, not the session; so wait until every running host is Online.
 */
function waitForSsmStep(spec: ServiceSpec): github.workflows.JobStep {
  const filters = [...Object.entries(hostTagFilters(spec)), ['instance-state-name', 'running']].map(([name, value]) => `Name=${name},Values=${value}`);
  return {
    id: 'wait-for-ssm',
    name: 'Wait until every host is registered with SSM',
    env: { TIMEOUT_SECONDS: String(SSM_REGISTRATION_WAIT.timeoutSeconds), INTERVAL_SECONDS: String(SSM_REGISTRATION_WAIT.intervalSeconds) },
    run: [
      'set -euo pipefail',
      `ids=$(aws ec2 describe-instances --filters ${filters.map((f) => `'${f}'`).join(' ')} --query 'Reservations[].Instances[].InstanceId' --output text)`,
      'deadline=$((SECONDS + TIMEOUT_SECONDS))',
      'while :; do',
      '  waiting=""',
      '  for id in $ids; do',
      '    ping=$(aws ssm describe-instance-information --filters "Key=InstanceIds,Values=$id" --query \'InstanceInformationList[0].PingStatus\' --output text)',
      '    [ "$ping" = Online ] || waiting="$waiting $id"',
      '  done',
      '  [ -z "$waiting" ] && break',
      '  if [ "$SECONDS" -ge "$deadline" ]; then',
      '    echo "::error::not registered with SSM after ${TIMEOUT_SECONDS} s:$waiting (is the SSM agent running, and can the host reach the ssm and ssmmessages endpoints?)"',
      '    exit 1',
      '  fi',
      '  echo "waiting for SSM:$waiting"',
      '  sleep "$INTERVAL_SECONDS"',
      'done',
      'echo "every host is registered with SSM:${ids:- (no running hosts)}"',
    ].join('\n'),
  };
}

export function configureHostsJob(spec: ServiceSpec, options: { needs: string[]; if?: string }): Job {
  const branches = deployBranchCondition(spec);
  return {
    name: `configure-hosts ${spec.stage.name}`,
    needs: options.needs,
    if: options.if ? `(${branches}) && ${options.if}` : branches,
    runsOn: RUNNER,
    permissions: { contents: github.workflows.JobPermission.READ, idToken: github.workflows.JobPermission.WRITE },
    // The environment's subject is the one the hosts-configuration role trusts (as the deploy role does).
    environment: { name: spec.environment },
    // The stage's deploy group, never cancelling the running job: the next push's deploy waits until these hosts
    // are configured. A newer pending job replacing this one is harmless: the newer push's own configure-hosts
    // follows its deploy and configures every host.
    concurrency: stageConcurrency(spec),
    timeoutMinutes: CONFIGURE_HOSTS_TIMEOUT_MINUTES,
    steps: [
      checkoutStep(),
      setupNodeStep(spec),
      npmCiStep(),
      setupPythonStep(CONTROLLER_PYTHON),
      {
        id: 'install-ansible',
        name: 'Install Ansible, boto3 and the collections in ansible/requirements.yml',
        run: [
          `python -m pip install --disable-pip-version-check ${CONTROLLER_PIP_PACKAGES.map((p) => `'${p}'`).join(' ')}`,
          'ansible-galaxy collection install -r ansible/requirements.yml',
        ].join('\n'),
      },
      {
        id: 'session-manager-plugin',
        name: 'Check the Session Manager plugin',
        // GitHub's ubuntu images ship it ("AWS CLI Session Manager Plugin" in images/ubuntu/Ubuntu2404-Readme.md,
        // actions/runner-images#1145); a runner without it fails here, saying so, not in the middle of the playbook.
        run: [
          'if ! command -v session-manager-plugin >/dev/null; then',
          '  echo "::error::session-manager-plugin is not on PATH; aws_ssm needs it. Use a GitHub ubuntu runner, or install it: https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-working-with-install-plugin.html"',
          '  exit 1',
          'fi',
          'session-manager-plugin --version',
        ].join('\n'),
      },
      awsCredentialsStep(spec, 'hosts'),
      waitForSsmStep(spec),
      {
        id: CONFIGURE_HOSTS_STEP_ID,
        name: `Configure every ${spec.stage.name} host over SSM (fails naming each host that was not configured)`,
        run: configureHostsCommand(spec),
      },
    ],
  };
}
