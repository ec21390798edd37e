/**
 * The playbook and roles pass ansible-lint's production profile and
 * ansible-playbook --syntax-check, offline, with Debian's Ansible.
 */
import { execFileSync, spawnSync } from 'child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { parse } from 'yaml';
import { describeWithTools } from '../support/real-tools';

const ANSIBLE = resolve(__dirname, '../../ansible');

describeWithTools('ansible/ with real Ansible', { commands: ['ansible-lint', 'ansible-playbook', 'ansible-inventory'] }, () => {
  jest.setTimeout(120000);

  test('ansible-lint passes with the production profile', () => {
    const lint = spawnSync('ansible-lint', ['--offline', '--profile', 'production', '--nocolor'], { cwd: ANSIBLE, encoding: 'utf8' });
    expect({ status: lint.status, output: lint.status === 0 ? '' : `${lint.stdout}${lint.stderr}` }).toEqual({ status: 0, output: '' });
    expect(lint.stdout + lint.stderr).toMatch(/Passed with production profile/);
  });

  test('ansible-playbook --syntax-check passes against an inventory of the driver\'s shape', () => {
    const inv = join(mkdtempSync(join(tmpdir(), 'slipway-syntax-')), 'inventory.yml');
    writeFileSync(inv, 'all:\n  children:\n    slipway_hosts:\n      children:\n        role_app:\n          hosts:\n            i-0123456789abcdef0: {}\n');
    const out = execFileSync('ansible-playbook', ['--syntax-check', '--inventory', inv, 'site.yml'], {
      cwd: ANSIBLE,
      encoding: 'utf8',
      env: { ...process.env, ANSIBLE_CONFIG: join(ANSIBLE, 'ansible.cfg') },
    });
    expect(out).toContain('playbook: site.yml');
  });

  test('every role variable is typed in meta/argument_specs.yml and carries the role prefix', () => {
    for (const role of ['exporter_common', 'node_exporter', 'process_exporter', 'cloudwatch_agent']) {
      const defaults = Object.keys(parse(readFileSync(join(ANSIBLE, 'roles', role, 'defaults/main.yml'), 'utf8')) as object);
      const specs = parse(readFileSync(join(ANSIBLE, 'roles', role, 'meta/argument_specs.yml'), 'utf8')) as {
        argument_specs: { main: { options: Record<string, { type?: string }> } };
      };
      const options = specs.argument_specs.main.options;
      expect({ role, untyped: defaults.filter((d) => !options[d]?.type) }).toEqual({ role, untyped: [] });
      expect({ role, unprefixed: defaults.filter((d) => !d.startsWith(`${role}_`)) }).toEqual({ role, unprefixed: [] });
    }
  });
});
