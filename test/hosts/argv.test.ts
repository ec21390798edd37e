import { playbookCommand } from '../../src/hosts/argv';

describe('playbookCommand', () => {
  test('passes each option as its own argv element, playbook last', () => {
    const cmd = playbookCommand('/repo', '/tmp/inv.yml', { limit: 'i-0abc,role_app', check: true, tags: ['node_exporter', 'cloudwatch_agent'], forks: 7 });
    expect(cmd.command).toBe('ansible-playbook');
    expect(cmd.args).toEqual([
      '--inventory', '/tmp/inv.yml',
      '--forks', '7',
      '--limit', 'i-0abc,role_app',
      '--tags', 'node_exporter,cloudwatch_agent',
      '--check', '--diff',
      '/repo/ansible/site.yml',
    ]);
  });

  test('leaves out what was not asked for', () => {
    const cmd = playbookCommand('/repo', 'inv.yml', { check: false, tags: [], forks: 20 });
    expect(cmd.args).toEqual(['--inventory', 'inv.yml', '--forks', '20', '/repo/ansible/site.yml']);
  });

  test('a value with shell metacharacters stays one argument (argv, never a shell string)', () => {
    const cmd = playbookCommand('/repo', 'inv.yml', { limit: 'h1; rm -rf /', check: false, tags: [], forks: 1 });
    expect(cmd.args).toContain('h1; rm -rf /');
  });

  test("points Ansible at the repository's ansible.cfg and asks for plain, unbuffered output", () => {
    expect(playbookCommand('/repo', 'inv.yml', { check: false, tags: [], forks: 1 }).env).toEqual({
      ANSIBLE_CONFIG: '/repo/ansible/ansible.cfg',
      ANSIBLE_NOCOLOR: '1',
      ANSIBLE_FORCE_COLOR: '0',
      PYTHONUNBUFFERED: '1',
    });
  });
});
