/**
 * The driver as a new user meets it: the real command line, with no AWS
 * credentials, a mistyped --inventory, and --help.
 */
import { spawnSync } from 'child_process';
import { existsSync, readFileSync } from 'fs';
import { join, resolve } from 'path';
import { parse } from 'yaml';
import { explainAwsError } from '../../src/hosts/aws-errors';
import { USAGE } from '../../src/hosts/options';
import { readSpecFile } from '../../src/spec';

const REPO = resolve(__dirname, '../..');
const estate = readSpecFile(REPO);
/** The stage these runs name: the last one (the most guarded), chosen with --stage as a person would. */
const spec = estate.stages[estate.stages.length - 1];
const STAGE = ['--stage', spec.environment];

/** The CLI with no credential source at all; IMDS off, so the SDK's chain fails without any request. */
function cli(args: string[]) {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_')) env[k] = v;
  Object.assign(env, {
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: join(REPO, 'no-such-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(REPO, 'no-such-aws-credentials'),
    CI: 'true',
  });
  return spawnSync('npx', ['tsx', 'src/hosts/cli.ts', ...args], { cwd: REPO, env, encoding: 'utf8', timeout: 60000 });
}

describe('configure-hosts tells a new user what to do', () => {
  jest.setTimeout(120000);

  test('without AWS credentials it says what to set, the region and the permissions, not the SDK\'s raw error', () => {
    const run = cli([...STAGE, '--connection', 'ssh']);
    expect(run.status).toBe(1);
    expect(run.stderr).not.toContain('Could not load credentials from any providers');
    expect(run.stderr).toContain(`configure-hosts: no AWS credentials were found to look up the hosts in ${spec.region}.`);
    expect(run.stderr).toContain('export AWS_PROFILE=<name> (for IAM Identity Center run `aws sso login --profile <name>` first)');
    expect(run.stderr).toContain('AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY');
    expect(run.stderr).toContain('It needs ec2:DescribeInstances to find the hosts');
  });

  test('--inventory naming a missing file says the file is missing', () => {
    const run = cli([...STAGE, '--inventory', 'ansible/inventory/typo.yml']);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('configure-hosts: --inventory ansible/inventory/typo.yml: no such file.');
    expect(run.stderr).not.toContain('no hosts in group');
  });

  test('with several stages and no --stage it names the stages to choose from; an unknown stage likewise', () => {
    const names = estate.stages.map((s) => s.environment);
    if (names.length === 1) {
      // One stage needs no --stage: the run gets as far as looking for credentials.
      expect(cli(['--connection', 'ssh']).stderr).toContain('no AWS credentials were found');
    } else {
      const run = cli(['--connection', 'ssh']);
      expect(run.status).toBe(1);
      expect(run.stderr).toBe(`configure-hosts: ${estate.serviceName} has ${names.length} stages (${names.join(', ')}); say which with --stage <${names.join('|')}>\n`);
    }
    const unknown = cli(['--stage', 'nope', '--connection', 'ssh']);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toBe(`configure-hosts: 'nope' is not a stage of ${estate.serviceName}; use --stage with one of: ${names.join(', ')}\n`);
  });

  test('--help lists the prerequisites, naming files that exist', () => {
    const run = cli(['--help']);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(`${USAGE}\n`);
    for (const needed of ['AWS_PROFILE', 'aws sso login', 'boto3', 'session-manager-plugin', 'ansible/requirements.yml', 'ssm:StartSession', 'ec2:DescribeInstances']) {
      expect(USAGE).toContain(needed);
    }
    expect(existsSync(join(REPO, 'ansible/requirements.yml'))).toBe(true);
    const collections = (parse(readFileSync(join(REPO, 'ansible/requirements.yml'), 'utf8')) as { collections: { name: string }[] }).collections;
    expect(collections.map((c) => c.name)).toEqual(['amazon.aws', 'community.aws', 'community.general']);
  });
});

describe('explainAwsError', () => {
  test('expired credentials say to refresh them', () => {
    const e = Object.assign(new Error('The security token included in the request is expired'), { name: 'ExpiredToken' });
    expect(explainAwsError(e, spec, 'tags')).toBe('the AWS credentials have expired (ExpiredToken); refresh them (e.g. `aws sso login --profile <name>`) and run again.');
  });

  test('a missing permission names the calls the chosen discovery makes', () => {
    const e = Object.assign(new Error('You are not authorized to perform this operation.'), { name: 'UnauthorizedOperation' });
    expect(explainAwsError(e, spec, 'stack')).toContain('It needs cloudformation:DescribeStacks and ec2:DescribeInstances to find the hosts');
  });

  test('anything else is left to the caller', () => {
    expect(explainAwsError(new Error('socket hang up'), spec, 'tags')).toBeUndefined();
  });
});
