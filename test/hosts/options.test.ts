import { DEFAULT_FORKS, UsageError, parseOptions } from '../../src/hosts/options';

describe('parseOptions', () => {
  test('defaults: discover by tags, connect over SSM, default forks, no limit or tags', () => {
    expect(parseOptions([])).toEqual({ check: false, tags: [], forks: DEFAULT_FORKS, connection: 'ssm', discovery: 'tags', help: false });
  });

  test('reads every option, in both --name value and --name=value forms', () => {
    expect(parseOptions(['--inventory', 'inv.yml', '--limit=role_app', '--check', '--tags', 'node_exporter,process_exporter', '--forks=5'])).toEqual({
      inventory: 'inv.yml',
      limit: 'role_app',
      check: true,
      tags: ['node_exporter', 'process_exporter'],
      forks: 5,
      connection: 'ssm',
      discovery: 'tags',
      help: false,
    });
    expect(parseOptions(['--connection', 'ssh', '--discover', 'stack'])).toMatchObject({ connection: 'ssh', discovery: 'stack' });
    expect(parseOptions(['--stage', 'staging'])).toMatchObject({ stage: 'staging' });
    expect(parseOptions(['--stage=production', '--inventory', 'inv.yml'])).toMatchObject({ stage: 'production', inventory: 'inv.yml' });
  });

  test.each([
    [['--forks', '0'], "--forks must be a whole number from 1 to 500, got '0'"],
    [['--forks', 'many'], "--forks must be a whole number from 1 to 500, got 'many'"],
    [['--limit'], '--limit needs a value, e.g. --limit role_app'],
    [['--limit', '--check'], '--limit needs a value'],
    [['--tags', 'node exporter'], "--tags takes comma-separated tag names such as 'node_exporter', got 'node exporter'"],
    [['--connection', 'winrm'], "--connection must be one of ssm, ssh, got 'winrm'"],
    [['--discover', 'dns'], "--discover must be one of tags, stack, got 'dns'"],
    [['--check=yes'], "--check takes no value, got '--check=yes'"],
    [['--limit', 'a', '--limit', 'b'], "--limit was given twice ('a' and 'b'); give it once"],
    [['--inventory', 'x.yml', '--connection', 'ssh'], '--inventory brings its own hosts and connection'],
    [['-e', 'x=1'], "unknown argument '-e'"],
    [['--stage'], '--stage needs a value, e.g. --stage staging'],
    [['--stage', 'a', '--stage', 'b'], "--stage was given twice ('a' and 'b'); give it once"],
  ])('%j is rejected with an actionable message', (argv, message) => {
    expect(() => parseOptions(argv)).toThrow(UsageError);
    expect(() => parseOptions(argv)).toThrow(message);
  });

  test('usage errors carry the usage text', () => {
    expect(() => parseOptions(['--nope'])).toThrow(/Usage: npx projen configure-hosts/);
  });
});
