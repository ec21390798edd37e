/**
 * The cloudwatch_agent role's configuration, rendered by real Ansible on
 * this machine (connection local) from the role's own tasks and the
 * generated group vars: the agent itself cannot run without AWS.
 */
import { execFileSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { parse, stringify } from 'yaml';
import { GROUP_VARS_FILE, stageGroupVarsFile } from '../../src/hosts/layout';
import { readSpecFile, selectStage, type ServiceSpec } from '../../src/spec';
import { describeWithTools } from '../support/real-tools';

const REPO = resolve(__dirname, '../..');
const estate = readSpecFile(REPO);
/** The last stage, chosen on purpose: its own group vars (region, log group) must reach the agent over the shared ones. */
const spec: ServiceSpec = selectStage(estate, estate.stages[estate.stages.length - 1].environment);

describeWithTools('cloudwatch_agent configuration', { commands: ['ansible-playbook'] }, () => {
  jest.setTimeout(120000);

  function render(extraVars: Record<string, unknown>): Record<string, any> {
    const dir = mkdtempSync(join(tmpdir(), 'slipway-cwagent-'));
    const read = (file: string) => parse(readFileSync(join(REPO, file), 'utf8')) as Record<string, unknown>;
    // What a host of this stage gets: the shared group vars and its stage group's.
    const groupVars = { ...read(GROUP_VARS_FILE), ...read(stageGroupVarsFile(spec.environment)) };
    try {
      const target = join(dir, 'amazon-cloudwatch-agent.json');
      const playbook = join(dir, 'render.yml');
      writeFileSync(
        playbook,
        stringify([
          {
            name: 'Render the agent configuration',
            hosts: 'localhost',
            connection: 'local',
            gather_facts: false,
            // The generated group vars first, then what the test sets (vars_files would outrank play vars).
            vars: { ...groupVars, cloudwatch_agent_config_path: target, cloudwatch_agent_manage_service: false, ...extraVars },
            tasks: [
              { 'name': 'Preflight', 'ansible.builtin.include_role': { name: 'cloudwatch_agent', tasks_from: 'preflight' } },
              { 'name': 'Configure', 'ansible.builtin.include_role': { name: 'cloudwatch_agent', tasks_from: 'configure' } },
            ],
          },
        ]),
      );
      try {
        // The implicit localhost: no inventory needed.
        execFileSync('ansible-playbook', [playbook], {
          encoding: 'utf8',
          env: { ...process.env, ANSIBLE_CONFIG: join(REPO, 'ansible/ansible.cfg'), ANSIBLE_NOCOLOR: '1', ANSIBLE_LOCALHOST_WARNING: 'false' },
          stdio: 'pipe',
        });
      } catch (e) {
        throw new Error(`ansible-playbook failed: ${(e as { stdout?: string }).stdout ?? ''}${(e as Error).message}`);
      }
      return JSON.parse(readFileSync(target, 'utf8')) as Record<string, any>;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  test('memory, swap and disk metrics, region from the spec, no logs section without log files', () => {
    const config = render({ cloudwatch_agent_log_files: [] });
    expect(config.agent).toEqual({ metrics_collection_interval: 60, run_as_user: 'cwagent', region: spec.region });
    expect(Object.keys(config.metrics.metrics_collected).sort()).toEqual(['disk', 'mem', 'swap']);
    expect(config.metrics.metrics_collected.mem.measurement).toEqual(['mem_used_percent', 'mem_available_percent']);
    expect(config.metrics.metrics_collected.disk.resources).toEqual(['/']);
    expect(config.metrics.append_dimensions.InstanceId).toBe('${aws:InstanceId}');
    expect(config.logs).toBeUndefined();
  });

  test("ships each log file to the service's log group, one stream per instance", () => {
    const config = render({ cloudwatch_agent_log_files: ['/var/log/app/app.log', '/var/log/app/*.err'] });
    expect(config.logs.logs_collected.files.collect_list).toEqual([
      { file_path: '/var/log/app/app.log', log_group_name: spec.names.appLogGroup, log_stream_name: '{instance_id}' },
      { file_path: '/var/log/app/*.err', log_group_name: spec.names.appLogGroup, log_stream_name: '{instance_id}' },
    ]);
  });

  test('a relative log path is stopped with the offending value', () => {
    expect(() => render({ cloudwatch_agent_log_files: ['app.log'] })).toThrow(/must be absolute paths or globs, got \['app.log'\]/);
  });
});
