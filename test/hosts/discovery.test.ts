import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DescribeInstancesCommand, EC2Client, type Instance, type InstanceStateName } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { HOST_INSTANCE_OUTPUT, discoverByStack, discoverByTags, hostsFromReservations, instanceIdsFromOutputs, splitByState } from '../../src/hosts/discovery';
import { normaliseServiceOptions } from '../../src/spec';
import { build } from '../infra/fixtures';
import { seedOptions } from '../spec/fixtures';

const spec = normaliseServiceOptions(seedOptions());
const ec2Mock = mockClient(EC2Client);
const cfnMock = mockClient(CloudFormationClient);

const instance = (id: string, state: string, ip?: string): Instance => ({
  InstanceId: id,
  State: { Name: state as InstanceStateName },
  ...(ip ? { PrivateIpAddress: ip } : {}),
  Tags: [{ Key: 'slipway:role', Value: 'app' }],
});

beforeEach(() => {
  ec2Mock.reset();
  cfnMock.reset();
});

describe('discoverByTags', () => {
  test("asks EC2 for the service's hosts by the same tags the hosts stack sets, across pages", async () => {
    ec2Mock
      .on(DescribeInstancesCommand)
      .resolvesOnce({ Reservations: [{ OwnerId: '123456789012', Instances: [instance('i-0000000000000000b', 'running', '192.168.2.11')] }], NextToken: 'page2' })
      .resolvesOnce({ Reservations: [{ OwnerId: '123456789012', Instances: [instance('i-0000000000000000a', 'stopped')] }] });
    const hosts = await discoverByTags(new EC2Client({ region: spec.region }), spec);
    expect(hosts).toEqual([
      { instanceId: 'i-0000000000000000a', accountId: '123456789012', state: 'stopped', role: 'app' },
      { instanceId: 'i-0000000000000000b', privateIp: '192.168.2.11', accountId: '123456789012', state: 'running', role: 'app' },
    ]);
    const calls = ec2Mock.commandCalls(DescribeInstancesCommand);
    expect(calls).toHaveLength(2);
    expect(calls[0].args[0].input.Filters).toEqual([
      { Name: 'tag:slipway:service', Values: ['flask-app'] },
      { Name: 'tag:slipway:environment', Values: ['production'] },
      { Name: 'tag:slipway:role', Values: ['app'] },
      { Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped'] },
    ]);
    expect(calls[1].args[0].input.NextToken).toBe('page2');
  });
});

describe('discoverByStack', () => {
  test("reads the instance ids from the hosts stack's outputs and names ids EC2 no longer knows", async () => {
    cfnMock.on(DescribeStacksCommand, { StackName: 'flask-app-production-hosts' }).resolves({
      Stacks: [
        {
          StackName: 'flask-app-production-hosts',
          CreationTime: new Date(0),
          StackStatus: 'CREATE_COMPLETE',
          Outputs: [
            { OutputKey: 'Host2InstanceId', OutputValue: 'i-0000000000000000b' },
            { OutputKey: 'Host1InstanceId', OutputValue: 'i-0000000000000000a' },
            { OutputKey: 'Host3InstanceId', OutputValue: 'i-0000000000000000c' },
            { OutputKey: 'RoleArn', OutputValue: 'arn:aws:iam::123456789012:role/x' },
          ],
        },
      ],
    });
    ec2Mock.on(DescribeInstancesCommand).resolves({
      Reservations: [{ OwnerId: '123456789012', Instances: [instance('i-0000000000000000a', 'running', '192.168.2.10'), instance('i-0000000000000000b', 'running', '192.168.3.10')] }],
    });
    const hosts = await discoverByStack(new CloudFormationClient({ region: spec.region }), new EC2Client({ region: spec.region }), spec);
    expect(ec2Mock.commandCalls(DescribeInstancesCommand)[0].args[0].input.InstanceIds).toEqual(['i-0000000000000000a', 'i-0000000000000000b', 'i-0000000000000000c']);
    expect(hosts.map((h) => [h.instanceId, h.state])).toEqual([
      ['i-0000000000000000a', 'running'],
      ['i-0000000000000000b', 'running'],
      ['i-0000000000000000c', 'not found'],
    ]);
  });

  test('a missing stack says what to do', async () => {
    cfnMock.on(DescribeStacksCommand).rejects(new Error('Stack with id flask-app-production-hosts does not exist'));
    await expect(discoverByStack(new CloudFormationClient({ region: spec.region }), new EC2Client({ region: spec.region }), spec)).rejects.toThrow(
      'cannot read the outputs of stack flask-app-production-hosts in eu-west-1 (Stack with id flask-app-production-hosts does not exist); deploy it first, or use --discover tags',
    );
  });
});

describe('pure selection', () => {
  test('an instance-id output that is not an instance id is an error, not a host', () => {
    expect(() => instanceIdsFromOutputs('s', [{ OutputKey: 'Host1InstanceId', OutputValue: 'sg-123' }])).toThrow("stack s has an instance-id output 'sg-123' that is not an EC2 instance id");
  });

  test('running hosts are configured, the others are kept to be reported', () => {
    const hosts = hostsFromReservations([{ OwnerId: '1', Instances: [instance('i-1', 'running'), instance('i-2', 'stopping')] }]);
    expect(splitByState(hosts)).toEqual({ running: [hosts[0]], notRunning: [hosts[1]] });
  });

  test('the output pattern matches every instance-id output the hosts stack synthesizes', () => {
    const built = build();
    const outputs = Object.keys(built.hosts.toJSON().Outputs ?? {}).filter((k) => /InstanceId/.test(k));
    expect(outputs).toHaveLength(built.spec.hosts.count);
    for (const key of outputs) expect(key).toMatch(HOST_INSTANCE_OUTPUT);
  });
});
