import { failureMessage, parsePlaybookOutput, PlaybookOutput } from '../../src/hosts/playbook-output';

const OUTPUT = `
PLAY [Configure the service's hosts] *******************************************

TASK [Gathering Facts] *********************************************************
ok: [web-1]
fatal: [web-3]: UNREACHABLE! => {"changed": false, "msg": "Failed to connect to the host via ssh: ssh: connect to host 10.200.3.2 port 22: Connection refused", "unreachable": true}
ok: [web-2]

TASK [node_exporter : Download the release, verified against its sha256sums.txt] ***
changed: [web-1]
fatal: [web-2]: FAILED! => {"changed": false, "msg": "The checksum for /var/cache/node_exporter/9.9.9/x.tar.gz did not match 0123; it was abcd."}

TASK [node_exporter : Write the systemd unit] **********************************
changed: [web-1]

RUNNING HANDLER [node_exporter : Restart node_exporter] ************************
skipping: [web-1]

PLAY RECAP *********************************************************************
web-1                      : ok=12   changed=9    unreachable=0    failed=0    skipped=3    rescued=0    ignored=0
web-2                      : ok=5    changed=0    unreachable=0    failed=1    skipped=0    rescued=0    ignored=0
web-3                      : ok=0    changed=0    unreachable=1    failed=0    skipped=0    rescued=0    ignored=0
`;

describe('PlaybookOutput', () => {
  const out = parsePlaybookOutput(OUTPUT);

  test('reads the PLAY RECAP counts of every host', () => {
    expect(out.recaps).toEqual([
      { host: 'web-1', ok: 12, changed: 9, unreachable: 0, failed: 0, skipped: 3, rescued: 0, ignored: 0 },
      { host: 'web-2', ok: 5, changed: 0, unreachable: 0, failed: 1, skipped: 0, rescued: 0, ignored: 0 },
      { host: 'web-3', ok: 0, changed: 0, unreachable: 1, failed: 0, skipped: 0, rescued: 0, ignored: 0 },
    ]);
  });

  test('keeps the first failure of each host with its task and message', () => {
    expect(out.failures).toEqual([
      {
        host: 'web-3',
        kind: 'unreachable',
        task: 'Gathering Facts',
        message: 'Failed to connect to the host via ssh: ssh: connect to host 10.200.3.2 port 22: Connection refused',
      },
      {
        host: 'web-2',
        kind: 'failed',
        task: 'node_exporter : Download the release, verified against its sha256sums.txt',
        message: 'The checksum for /var/cache/node_exporter/9.9.9/x.tar.gz did not match 0123; it was abcd.',
      },
    ]);
  });

  test('turns plays, tasks and handlers into progress messages', () => {
    const p = new PlaybookOutput();
    expect(p.feed("PLAY [Configure the service's hosts] ****")).toBe("play: Configure the service's hosts");
    expect(p.feed('TASK [Gathering Facts] ****')).toBe('task 1: Gathering Facts');
    expect(p.feed('ok: [web-1]')).toBeUndefined();
    expect(p.feed('RUNNING HANDLER [node_exporter : Restart node_exporter] ***')).toBe('handler 2: node_exporter : Restart node_exporter');
    expect(p.feed('PLAY RECAP ****')).toBe('recap');
  });

  test('reads a recap from an older Ansible without skipped/rescued/ignored', () => {
    const p = parsePlaybookOutput('PLAY RECAP ***\nh1 : ok=2    changed=1    unreachable=0    failed=0\n');
    expect(p.recaps).toEqual([{ host: 'h1', ok: 2, changed: 1, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 }]);
  });

  test('a failure of a task delegated to the controller counts for the host it ran for', () => {
    const p = parsePlaybookOutput('TASK [exporter_common : Fetch and verify the release on the controller] ***\nfatal: [web-2 -> localhost]: FAILED! => {"msg": "checksum mismatch for x.tar.gz"}\n');
    expect(p.failures).toEqual([{ host: 'web-2', kind: 'failed', task: 'exporter_common : Fetch and verify the release on the controller', message: 'checksum mismatch for x.tar.gz' }]);
  });

  test('a loop item failure counts for its host', () => {
    const p = parsePlaybookOutput('TASK [x : y] ***\nfailed: [h1] (item=a) => {"msg": "boom"}\n');
    expect(p.failures).toEqual([{ host: 'h1', kind: 'failed', task: 'x : y', message: 'boom' }]);
  });
});

describe('failureMessage', () => {
  test('joins msg and stderr of a command failure', () => {
    expect(failureMessage('{"msg": "non-zero return code", "stderr": "no such file"}')).toBe('non-zero return code: no such file');
  });

  test('keeps text that is not JSON', () => {
    expect(failureMessage('  something odd ')).toBe('something odd');
  });
});
