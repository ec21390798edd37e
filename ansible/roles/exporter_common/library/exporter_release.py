#!/usr/bin/python
# -*- coding: utf-8 -*-
# Runs on the controller (delegate_to: localhost): fetches one exporter release once, verifies it
# against the checksums file the project publishes beside it, and keeps the verified program in a
# cache the hosts are then copied from. Parallel hosts wait on one lock, so a release is fetched once
# per controller however many hosts need it, and a cached release makes no request at all.
from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: exporter_release
short_description: Fetch, verify and cache an exporter release on the controller.
options:
  url: {description: The release folder holding the tarball and the checksums file., type: str, required: true}
  tarball: {description: The tarball's file name in that folder., type: str, required: true}
  checksums_file: {description: The checksums file's name in that folder (sha256 lines)., type: str, required: true}
  member: {description: The program's path inside the tarball., type: str, required: true}
  cache_dir: {description: The controller folder releases are cached in., type: path, required: true}
  timeout: {description: Seconds per request., type: int, default: 60}
'''

import fcntl
import hashlib
import json
import os
import re
import shutil
import tarfile
import tempfile

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.urls import open_url

SUM_LINE = re.compile(r'^([0-9a-fA-F]{64})\s+\*?(\S+)\s*$')


def sha256_file(path):
    digest = hashlib.sha256()
    with open(path, 'rb') as f:
        for chunk in iter(lambda: f.read(1 << 20), b''):
            digest.update(chunk)
    return digest.hexdigest()


def expected_sum(text, tarball):
    for line in text.splitlines():
        m = SUM_LINE.match(line.strip())
        if m and os.path.basename(m.group(2)) == tarball:
            return m.group(1).lower()
    return None


def cached(folder, program):
    """The verified record when the cached program still has the sha256 recorded at verification."""
    record = os.path.join(folder, 'verified.json')
    if not (os.path.isfile(record) and os.path.isfile(program)):
        return None
    with open(record) as f:
        data = json.load(f)
    return data if data.get('binary_sha256') == sha256_file(program) else None


def main():
    module = AnsibleModule(
        argument_spec=dict(
            url=dict(type='str', required=True),
            tarball=dict(type='str', required=True),
            checksums_file=dict(type='str', required=True),
            member=dict(type='str', required=True),
            cache_dir=dict(type='path', required=True),
            timeout=dict(type='int', default=60),
        ),
        supports_check_mode=True,
    )
    p = module.params
    base = p['url'].rstrip('/')
    tarball_url = '%s/%s' % (base, p['tarball'])
    sums_url = '%s/%s' % (base, p['checksums_file'])
    folder = os.path.join(p['cache_dir'], p['tarball'][:-len('.tar.gz')] if p['tarball'].endswith('.tar.gz') else p['tarball'])
    program = os.path.join(folder, os.path.basename(p['member']))
    os.makedirs(folder, exist_ok=True)

    with open(os.path.join(folder, '.lock'), 'w') as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        hit = cached(folder, program)
        if hit:
            module.exit_json(changed=False, fetched=False, bytes_fetched=0, binary_path=program, **hit)

        try:
            sums_text = open_url(sums_url, timeout=p['timeout']).read().decode('utf-8', 'replace')
        except Exception as e:  # noqa: BLE001 - any transport error is reported with the URL
            module.fail_json(msg='cannot fetch the checksums file %s: %s' % (sums_url, e))
        expected = expected_sum(sums_text, p['tarball'])
        if expected is None:
            module.fail_json(msg='%s lists no sha256 for %s; check the version and the architecture, or the mirror\'s copy of the release'
                             % (sums_url, p['tarball']))

        fd, partial = tempfile.mkstemp(dir=folder, prefix='.download-')
        digest = hashlib.sha256()
        size = len(sums_text.encode('utf-8'))
        try:
            with os.fdopen(fd, 'wb') as out:
                response = open_url(tarball_url, timeout=p['timeout'])
                for chunk in iter(lambda: response.read(1 << 20), b''):
                    digest.update(chunk)
                    out.write(chunk)
                    size += len(chunk)
        except Exception as e:  # noqa: BLE001
            os.unlink(partial)
            module.fail_json(msg='cannot fetch %s: %s' % (tarball_url, e))
        actual = digest.hexdigest()
        if actual != expected:
            os.unlink(partial)
            module.fail_json(
                msg='checksum mismatch for %s: %s lists sha256 %s, the download has %s; it is corrupt or was tampered with, '
                    'and no host was changed' % (p['tarball'], sums_url, expected, actual),
                expected_sha256=expected, actual_sha256=actual)

        try:
            with tarfile.open(partial, 'r:gz') as tar:
                member = tar.getmember(p['member'])
                if not member.isfile():
                    module.fail_json(msg='%s in %s is not a regular file' % (p['member'], p['tarball']))
                source = tar.extractfile(member)
                fd, unpacked = tempfile.mkstemp(dir=folder, prefix='.program-')
                with os.fdopen(fd, 'wb') as out:
                    shutil.copyfileobj(source, out)
        except KeyError:
            os.unlink(partial)
            module.fail_json(msg='%s holds no %s; is the release laid out as <name>-<version>.linux-<arch>/<program>?' % (p['tarball'], p['member']))
        os.chmod(unpacked, 0o755)
        os.replace(unpacked, program)
        os.replace(partial, os.path.join(folder, p['tarball']))
        record = {'tarball_sha256': actual, 'binary_sha256': sha256_file(program), 'source': tarball_url}
        with open(os.path.join(folder, 'verified.json'), 'w') as f:
            json.dump(record, f)
        module.exit_json(changed=True, fetched=True, bytes_fetched=size, binary_path=program, **record)


if __name__ == '__main__':
    main()
