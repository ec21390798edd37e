import { buildInventory, connectionVars, inventoryFromDiscovery, targetsFromInventoryList, type DiscoveredHost } from '../../src/hosts/inventory';
import { normaliseServiceOptions } from '../../src/spec';
import { seedOptions } from '../spec/fixtures';

const spec = normaliseServiceOptions({ ...seedOptions(), hosts: { role: 'web-app' } });
const host: DiscoveredHost = { instanceId: 'i-0123456789abcdef0', privateIp: '192.168.2.10', accountId: '123456789012', state: 'running', role: 'web-app' };

describe('connectionVars', () => {
  test('SSM: instance id, region and the account-suffixed transfer bucket, all in the inventory', () => {
    expect(connectionVars(spec, host, 'ssm')).toEqual({
      ansible_connection: 'community.aws.aws_ssm',
      ansible_aws_ssm_instance_id: 'i-0123456789abcdef0',
      ansible_aws_ssm_region: 'eu-west-1',
      ansible_aws_ssm_bucket_name: 'flask-app-production-hosts-123456789012-eu-west-1',
    });
  });

  test('SSH: the private address and the AMI login user', () => {
    expect(connectionVars(spec, host, 'ssh')).toEqual({ ansible_connection: 'ansible.builtin.ssh', ansible_host: '192.168.2.10', ansible_user: 'ec2-user' });
  });

  test('SSH to a host without a private address says what to do', () => {
    expect(() => connectionVars(spec, { instanceId: 'i-1', accountId: '1', state: 'running' }, 'ssh')).toThrow('instance i-1 has no private IP address to reach over SSH; use --connection ssm');
  });
});

describe('buildInventory', () => {
  test("puts the hosts in role_<role> under slipway_hosts and in the stage's group, as the aws_ec2 config groups them", () => {
    expect(inventoryFromDiscovery(spec, [host], 'ssh')).toEqual({
      all: {
        children: {
          slipway_hosts: {
            children: {
              role_web_app: { hosts: { 'i-0123456789abcdef0': { ansible_connection: 'ansible.builtin.ssh', ansible_host: '192.168.2.10', ansible_user: 'ec2-user' } } },
            },
          },
          stage_production: { hosts: { 'i-0123456789abcdef0': {} } },
        },
      },
    });
  });

  test('rejects a host named twice', () => {
    expect(() => buildInventory(spec, [{ name: 'a', vars: {} }, { name: 'a', vars: {} }])).toThrow("host 'a' appears twice");
  });
});

describe('targetsFromInventoryList', () => {
  const list = {
    _meta: {
      hostvars: {
        'i-1': { ansible_host: '10.0.0.1', ansible_connection: 'ansible.builtin.ssh', node_exporter_port: 9100 },
        'i-2': { ansible_connection: 'community.aws.aws_ssm' },
        'other': {},
      },
    },
    all: { children: ['ungrouped', 'slipway_hosts', 'db'] },
    slipway_hosts: { children: ['role_app'] },
    role_app: { hosts: ['i-1', 'i-2'] },
    db: { hosts: ['other'] },
  };

  test('walks the child groups of slipway_hosts and keeps each host once with its vars', () => {
    expect(targetsFromInventoryList(list)).toEqual([
      { name: 'i-1', address: '10.0.0.1', connection: 'ansible.builtin.ssh', vars: list._meta.hostvars['i-1'] },
      { name: 'i-2', address: 'i-2', connection: 'community.aws.aws_ssm', vars: list._meta.hostvars['i-2'] },
    ]);
  });

  test('an inventory without the group yields no targets', () => {
    expect(targetsFromInventoryList({ _meta: { hostvars: {} }, all: { children: [] } })).toEqual([]);
  });
});
