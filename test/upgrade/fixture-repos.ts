/**
 * Local git repositories for the upgrade tests, offline: a template repository made from this checkout's
 * files (node_modules linked, never installed), a service repository stamped from it the way GitHub's
 * "Use this template" does (the files of one commit, a fresh history), and the template's next version.
 */
import { SpawnSyncReturns, execFileSync, spawnSync } from 'child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join } from 'path';
import { REPO_ROOT, copyRepo } from '../support/repo-copy';

/** A fixed identity and no user or system git config, so the tests behave the same on every machine. */
export const GIT_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Slipway Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Slipway Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
};

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: GIT_ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/**
 * `npx projen <args>` the way a user runs it; the result, whatever the status. A bare `npx projen` gets
 * `--no-post`: projen's post step installs dependencies (`npm ci` when CI=true, which deletes node_modules
 * first), and the fixtures' node_modules is a link to this checkout's. (PROJEN_DISABLE_POST does not help:
 * the projen CLI sets it from its own --post flag.)
 */
export function projen(cwd: string, ...args: string[]): SpawnSyncReturns<string> {
  const argv = args.length === 0 ? ['--no-post'] : args;
  return spawnSync(join(REPO_ROOT, 'node_modules', '.bin', 'projen'), argv, { cwd, env: GIT_ENV, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

export function initRepo(dir: string, message: string): void {
  git(dir, 'init', '--quiet', '--initial-branch=main');
  // The repository's own identity: code under test that runs git with the process's environment (release-platform's
  // commit and tag) must not depend on the machine's global git config, which a fresh CI machine does not have.
  git(dir, 'config', 'user.name', GIT_ENV.GIT_AUTHOR_NAME!);
  git(dir, 'config', 'user.email', GIT_ENV.GIT_AUTHOR_EMAIL!);
  // The linked node_modules is a symlink, which `node_modules/` in .gitignore (a directory pattern) does not match.
  appendFileSync(join(dir, '.git', 'info', 'exclude'), '/node_modules\n');
  git(dir, 'add', '--all');
  git(dir, 'commit', '--quiet', '-m', message);
}

export function commitAll(dir: string, message: string): void {
  git(dir, 'add', '--all');
  git(dir, 'commit', '--quiet', '-m', message);
}

/** The template repository at this checkout's files, committed once. */
export function makeTemplateRepo(): string {
  const dir = copyRepo('upgrade-template');
  initRepo(dir, 'Slipway template');
  return dir;
}

/** "Use this template": the files of `ref` in a new repository with a history of its own. */
export function useThisTemplate(template: string, ref: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-upgrade-service-'));
  execFileSync('sh', ['-c', `git archive --format=tar "${ref}" | tar -x -C "${dir}"`], { cwd: template, env: GIT_ENV });
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules'));
  initRepo(dir, 'Initial commit');
  return dir;
}

/** Replaces `from` with `to` in a file, failing loudly when `from` is not there (the fixture went stale). */
export function replaceIn(dir: string, file: string, from: string, to: string): void {
  const path = join(dir, file);
  const text = readFileSync(path, 'utf8');
  if (!text.includes(from)) {
    throw new Error(`fixture: '${from}' is not in ${file} any more; update the upgrade test's v2 edits (test/upgrade/fixture-repos.ts) to the file as it is now`);
  }
  writeFileSync(path, text.split(from).join(to));
}

export function appendTo(dir: string, file: string, text: string): void {
  appendFileSync(join(dir, file), text);
}

export function remove(dir: string, file: string): void {
  rmSync(join(dir, file));
}

/**
 * The template's v2: the option `monitoring.processNames` renamed to `monitoring.processes`, as a platform
 * engineer would do it (the option's reader and type, the platform's own tests, the seed's .projenrc.ts)
 * plus its row in the deprecation table.
 */
export function renameProcessNames(template: string): void {
  replaceIn(template, 'src/spec/normalise.ts', "'processNames', 'logFiles'", "'processes', 'logFiles'");
  replaceIn(template, 'src/spec/normalise.ts', "processNames: list('processNames',", "processNames: list('processes',");
  replaceIn(template, 'src/spec/options.ts', 'readonly processNames?:', 'readonly processes?:');
  replaceIn(template, 'test/hosts/projen-hosts.test.ts', 'monitoring: { processNames:', 'monitoring: { processes:');
  replaceIn(template, 'test/hosts/generated-config.test.ts', "processNames: ['celery']", "processes: ['celery']");
  replaceIn(template, '.projenrc.ts', "monitoring: { processNames: ['gunicorn'] }", "monitoring: { processes: ['gunicorn'] }");
  replaceIn(
    template,
    'src/spec/deprecations.ts',
    '  // slipway:deprecations (one row per renamed or removed option)\n',
    "  // slipway:deprecations (one row per renamed or removed option)\n  { since: '2.0.0', option: 'monitoring.processNames', renamedTo: 'monitoring.processes' },\n",
  );
}

/** What the template's v2 changes, by kind (issue 16's list). */
export const V2 = {
  changedSrc: 'src/main.ts',
  changedAction: 'actions/ecr-image/src/inputs.ts',
  changedRole: 'ansible/roles/node_exporter/defaults/main.yml',
  added: 'ansible/roles/node_exporter/files/UPGRADED.md',
  removed: 'ansible/README.md',
} as const;

export interface UpgradeScenario {
  /** The template repository, released at v1.0.0 and v2.0.0. */
  readonly template: string;
  /** The service repository, stamped from v1.0.0 and committed, not yet upgraded. */
  readonly service: string;
  readonly stampedCommit: string;
}

function ok(result: SpawnSyncReturns<string>, what: string): void {
  if (result.status !== 0) throw new Error(`${what} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
}

/**
 * The template at v1, a service stamped from it (renamed, owner changed, a host more, app/ edited), and
 * the template's v2: a change in src/, in an action and in a role, a new file, a removed file, and the
 * renamed option with its deprecation.
 */
export function buildUpgradeScenario(): UpgradeScenario {
  const template = makeTemplateRepo();
  ok(projen(template, 'release-platform', '1.0.0', '--source', template), 'release v1');

  const service = useThisTemplate(template, 'v1.0.0');
  replaceIn(service, '.projenrc.ts', "serviceName: 'flask-app'", "serviceName: 'orders-api'");
  replaceIn(service, '.projenrc.ts', "owner: 'slipway-dev'", "owner: 'acme'");
  replaceIn(service, '.projenrc.ts', 'hosts: { count: 2,', 'hosts: { count: 3,');
  appendTo(service, 'app/app.py', '\n# orders-api: our own route table lives here\n');
  writeFileSync(join(service, 'app/ORDERS.md'), 'The orders service.\n');
  ok(projen(service), 'first npx projen in the stamped repository');
  commitAll(service, 'orders-api from the Slipway template');
  const stampedCommit = git(service, 'rev-parse', 'HEAD');

  appendTo(template, V2.changedSrc, '\n// v2: the CDK app entry point is unchanged in behaviour; this line proves the upgrade carried src/.\n');
  appendTo(template, V2.changedAction, '\n// v2: a change in an action.\n');
  appendTo(template, V2.changedRole, '\n# v2: a change in a role.\n');
  mkdirSync(dirname(join(template, V2.added)), { recursive: true });
  writeFileSync(join(template, V2.added), 'Added in v2.\n');
  remove(template, V2.removed);
  renameProcessNames(template);
  replaceIn(template, 'CHANGELOG.md', '## [Unreleased]\n', '## [Unreleased]\n\n- monitoring.processNames is now monitoring.processes (renamed by the upgrade)\n- node_exporter: a note in files/\n');
  commitAll(template, 'v2 changes');
  ok(projen(template, 'release-platform', 'major'), 'release v2');
  return { template, service, stampedCommit };
}
