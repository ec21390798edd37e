import { spawnSync } from 'child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { REPO_ROOT } from '../support/repo-copy';

/**
 * .ci/node-setup with a stand-in `npm` on PATH: it records its arguments and, like `npm install --prefix P
 * node-linux-<arch>@<major>`, leaves P/node_modules/node-linux-<arch>/bin/node behind. That node reports the
 * major it was installed as and runs everything else with the real node. No registry is contacted.
 */
describe('.ci/node-setup', () => {
  let dir: string;
  const arch = process.arch === 'arm64' ? 'arm64' : 'x64';

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'slipway-node-setup-'));
    mkdirSync(join(dir, 'bin'));
    const fakeNpm = [
      '#!/usr/bin/env bash',
      `echo "$*" >> "${join(dir, 'npm.log')}"`,
      'if [ "$1" = "--version" ]; then echo 11.0.0; exit 0; fi',
      'if [ -n "${FAKE_NPM_FAIL:-}" ]; then echo "npm error code E404" >&2; exit 1; fi',
      'prefix=""; spec=""',
      'while [ $# -gt 0 ]; do case "$1" in --prefix) prefix=$2; shift 2 ;; node-linux-*) spec=$1; shift ;; *) shift ;; esac; done',
      'pkg=${spec%@*}; major=${FAKE_NODE_MAJOR:-${spec##*@}}',
      'mkdir -p "${prefix}/node_modules/${pkg}/bin"',
      'node_bin="${prefix}/node_modules/${pkg}/bin/node"',
      `printf '#!/usr/bin/env bash\\ncase "$1" in --version) echo v%s.0.0 ;; -p) case "$2" in *process.versions*) echo %s ;; *) exec "${process.execPath}" "$@" ;; esac ;; *) exec "${process.execPath}" "$@" ;; esac\\n' "$major" "$major" > "$node_bin"`,
      'chmod +x "$node_bin"',
    ].join('\n');
    writeFileSync(join(dir, 'bin', 'npm'), `${fakeNpm}\n`);
    chmodSync(join(dir, 'bin', 'npm'), 0o755);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const run = (engines: string, env: Record<string, string> = {}) => {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ engines: { node: engines } }));
    const script = `set -euo pipefail; source "${join(REPO_ROOT, '.ci', 'node-setup')}"; slipway_setup_node; echo "PATH_NODE=$(command -v node)"; node --version`;
    return spawnSync('bash', ['-c', script], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, PATH: `${join(dir, 'bin')}:${process.env.PATH}`, SLIPWAY_NODE_PREFIX: join(dir, 'prefix'), ...env },
    });
  };
  const npmCalls = (): string => {
    try {
      return readFileSync(join(dir, 'npm.log'), 'utf8');
    } catch {
      return '';
    }
  };

  test('keeps the node on PATH when it is the major engines names, without installing', () => {
    const major = process.versions.node.split('.')[0];
    const result = run(`>= ${major}.0.0`);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`node ${process.version} on PATH matches engines '>= ${major}.0.0'`);
    expect(npmCalls()).toBe('');
  });

  test('installs node-linux-<arch>@<major> into the private prefix and puts it first on PATH', () => {
    const result = run('>= 99.0.0');
    expect(result.status).toBe(0);
    expect(npmCalls()).toContain(`install --prefix ${join(dir, 'prefix')} --no-save --no-package-lock --no-audit --no-fund --loglevel=error node-linux-${arch}@99`);
    expect(result.stdout).toContain(`PATH_NODE=${join(dir, 'prefix', 'node_modules', `node-linux-${arch}`, 'bin', 'node')}`);
    expect(result.stdout.trim().split('\n').pop()).toBe('v99.0.0');
  });

  test('fails clearly when the package cannot be installed', () => {
    const result = run('>= 99.0.0', { FAKE_NPM_FAIL: '1' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`::error::could not install node-linux-${arch}@99 from the npm registry into ${join(dir, 'prefix')}; install Node.js 99 and put it first on PATH`);
    expect(result.stdout).not.toContain('PATH_NODE=');
  });

  test('fails clearly when the installed node is not the major asked for', () => {
    const result = run('>= 99.0.0', { FAKE_NODE_MAJOR: '98' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('::error::after installing, node on PATH is still major 98, not 99');
  });

  test('fails clearly when package.json names no Node major', () => {
    const result = run('*');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("::error::package.json has no engines.node with a major version (found '*')");
  });
});
