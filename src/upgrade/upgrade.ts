/**
 * `npx projen upgrade-platform`: take a newer template version into a stamped repository.
 * Read (record, local tree, the template at the wanted version), plan (plan.ts, pure), act (write files,
 * rename options, record, regenerate, service checks), report (summary.ts).
 */
import { execFileSync } from 'child_process';
import { chmodSync, copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, rmdirSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join } from 'path';
import { entriesBetween, newestReleaseTag, parseReleaseOf } from './changelog';
import { driftFrom, hasDrift, renderDrift } from './checksum';
import { git, resolveCommit } from './git';
import { UpgradePlan, planUpgrade } from './plan';
import { renameInProjenrc } from './projenrc-rename';
import type { TemplateRef } from './record';
import { readRecord, writeRecord } from './stamp';
import { RenameNote, isEmptyPlan, renderSummary } from './summary';
import { checksumsOf, readGenerated, readTree, readTreeFile } from './tree';
import type { Deprecation } from '../spec/deprecations';

export interface UpgradeOptions {
  readonly root: string;
  /** A git URL or path; default: the recorded template source. */
  readonly source?: string;
  /** A tag, branch or commit; default: the newest vX.Y.Z tag of the source. */
  readonly ref?: string;
  /** Run `npx projen test:service` after regenerating. @default true */
  readonly checks?: boolean;
  /** In the template repository, succeed with a note instead of refusing. @default false */
  readonly ifStamped?: boolean;
  /** Runs a projen task in root (injectable so unit tests need no projen). */
  readonly projen?: (root: string, args: readonly string[]) => void;
  /** Installs the dependencies the regenerated package files name (injectable like projen). @default npm ci */
  readonly install?: (root: string) => void;
  readonly log?: (line: string) => void;
}

export interface UpgradeResult {
  readonly kind: 'upgraded' | 'current' | 'template';
  readonly summary: string;
}

export class UpgradeRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UpgradeRefused';
  }
}

/** `npx projen [args]` in root, output passed through. */
export function runProjen(root: string, args: readonly string[]): void {
  const bin = join(root, 'node_modules', '.bin', 'projen');
  execFileSync(existsSync(bin) ? bin : 'npx', existsSync(bin) ? [...args] : ['projen', ...args], { cwd: root, stdio: 'inherit' });
}

/**
 * `npm ci` in root: the lock file is now the template's (or the service's own), and node_modules must match it
 * before the service checks run. A node_modules that is a link into another checkout is never reinstalled:
 * `npm ci` deletes node_modules first, which would empty the other checkout's.
 */
export function installDependencies(root: string): void {
  const modules = join(root, 'node_modules');
  if (existsSync(modules) && lstatSync(modules).isSymbolicLink()) {
    throw new UpgradeRefused(
      `the dependencies changed, but ${modules} is a link into another checkout, which 'npm ci' would empty; ` +
        "replace the link with a real node_modules ('rm node_modules && npm ci') and run the upgrade again",
    );
  }
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
}

/** The package files whose change means node_modules no longer matches. */
const DEPENDENCY_FILES = ['package.json', 'package-lock.json'];

function dependencyChecksums(root: string): string {
  return DEPENDENCY_FILES.map((f) => (existsSync(join(root, f)) ? readFileSync(join(root, f), 'utf8') : '')).join('\u0000');
}

/** The template checked out at the wanted version in a temp dir; `dispose` removes it. */
function fetchTemplate(source: string, ref: string | undefined): { dir: string; target: TemplateRef; dispose: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-template-'));
  const dispose = () => rmSync(dir, { recursive: true, force: true });
  try {
    git(tmpdir(), ['clone', '--quiet', '--no-checkout', '--', source, dir]);
    const tags = git(dir, ['tag', '--list']).split('\n').filter(Boolean);
    const wanted = ref ?? newestReleaseTag(tags);
    if (!wanted) {
      throw new UpgradeRefused(`the template at ${source} has no release tag (vX.Y.Z): pass --ref <tag, branch or commit>, or release it there with 'npx projen release-platform <version>'`);
    }
    const commit = resolveCommit(dir, wanted) ?? resolveCommit(dir, `origin/${wanted}`);
    if (!commit) throw new UpgradeRefused(`no tag, branch or commit '${wanted}' in ${source}; its release tags: ${tags.filter((t) => /^v\d/.test(t)).join(', ') || '(none)'}`);
    git(dir, ['checkout', '--quiet', '--detach', commit]);
    let version: string;
    try {
      // The release tag at the commit, or the nearest one before it ('v1.2.0-3-gabcdef').
      version = git(dir, ['describe', '--tags', '--match', 'v[0-9]*', commit]);
    } catch {
      version = commit.slice(0, 12);
    }
    return { dir, target: { source, version, commit }, dispose };
  } catch (e) {
    dispose();
    throw e;
  }
}

function copyInto(from: string, root: string, path: string, executable: boolean): void {
  const target = join(root, path);
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(join(from, path), target);
  chmodSync(target, executable ? 0o755 : 0o644);
}

function removeFrom(root: string, path: string): void {
  rmSync(join(root, path), { force: true });
  // Leave no empty directories behind (git does not track them either).
  for (let dir = dirname(path); dir !== '.' && dir !== ''; dir = dirname(dir)) {
    const full = join(root, dir);
    if (!existsSync(full) || readdirSync(full).length > 0) break;
    rmdirSync(full);
  }
}

function apply(plan: UpgradePlan, from: string, root: string): void {
  const executable = new Set(plan.record.executables);
  for (const path of [...plan.added, ...plan.changed, ...plan.modeChanged, ...plan.sharedTaken]) copyInto(from, root, path, executable.has(path));
  for (const path of plan.removed) removeFrom(root, path);
}

/** The new version's deprecations, loaded from its own source (the process still holds the old version's). */
function deprecationsOf(templateDir: string): readonly Deprecation[] {
  const file = join(templateDir, 'src', 'spec', 'deprecations.ts');
  if (!existsSync(file)) return [];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require(file) as { DEPRECATIONS?: readonly Deprecation[] }).DEPRECATIONS ?? [];
}

function renameOptions(root: string, table: readonly Deprecation[]): RenameNote[] {
  const path = join(root, '.projenrc.ts');
  let text = readFileSync(path, 'utf8');
  const notes: RenameNote[] = [];
  for (const d of table) {
    if (d.renamedTo === undefined) continue;
    const result = renameInProjenrc(text, { ...d, renamedTo: d.renamedTo });
    if (result.kind === 'absent') continue;
    if (result.kind === 'renamed') text = result.text;
    notes.push({ from: d.option, to: d.renamedTo, since: d.since, outcome: result.kind === 'renamed' ? { line: result.line } : { edit: result.edit } });
  }
  if (notes.some((n) => 'line' in n.outcome)) writeFileSync(path, text);
  return notes;
}

function generatedChecksums(root: string): Map<string, string> {
  return new Map([...readGenerated(root)].filter((p) => existsSync(join(root, p))).map((p) => [p, readTreeFile(root, p).checksum]));
}

export function upgradePlatform(options: UpgradeOptions): UpgradeResult {
  const { root } = options;
  const started = Date.now();
  const print = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  // Each phase with the seconds since the start: where an upgrade's time goes is visible in every run.
  const log = (line: string) => print(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${line}`);
  const projen = options.projen ?? runProjen;
  const record = readRecord(root);
  if (!record) throw new UpgradeRefused('no platform record (.slipway/platform.json): this repository was not stamped from the Slipway template, or the record was deleted; restore it from git history');
  if (record.role === 'template' && options.ifStamped) {
    return { kind: 'template', summary: 'The template repository itself: nothing to upgrade (upgrades run in stamped repositories).\n' };
  }
  if (record.role === 'template') {
    throw new UpgradeRefused("this is the template repository itself (.slipway/platform.json role 'template'): upgrades run in stamped repositories; release this one with 'npx projen release-platform <version>'");
  }
  const local = readTree(root);
  // Refuse before fetching anything: local edits to platform files would be overwritten.
  const drift = driftFrom(record.files, new Map(Object.entries(checksumsOf(local.platform))));
  if (hasDrift(drift)) throw new UpgradeRefused(`upgrade refused, nothing was changed. ${renderDrift(drift, record.template.version)}`);

  const source = options.source ?? record.template.source;
  if (!source) throw new UpgradeRefused('the platform record names no template source: pass --source <git URL or path of the template repository>');
  log(`Fetching the template from ${source} ...`);
  const template = fetchTemplate(source, options.ref);
  try {
    log(`Fetched ${template.target.version} (${template.target.commit?.slice(0, 12)}); comparing ...`);
    const next = readTree(template.dir);
    const result = planUpgrade(record, local, next, template.target);
    if (result.kind === 'refused') throw new UpgradeRefused(`upgrade refused, nothing was changed. ${renderDrift(result.drift, record.template.version)}`);
    const { plan } = result;
    const changelogPath = join(template.dir, 'CHANGELOG.md');
    // A commit with no release tag before it has no changelog range to quote.
    const changelog = existsSync(changelogPath) && template.target.version && parseReleaseOf(template.target.version)
      ? entriesBetween(readFileSync(changelogPath, 'utf8'), record.template.version, template.target.version)
      : [];
    if (isEmptyPlan(plan) && record.template.commit === template.target.commit) {
      return { kind: 'current', summary: `Already at the template's ${template.target.version}: nothing to upgrade.\n` };
    }
    const before = generatedChecksums(root);
    const dependenciesBefore = dependencyChecksums(root);
    log(`Replacing ${plan.added.length + plan.changed.length + plan.removed.length + plan.modeChanged.length + plan.sharedTaken.length} platform files ...`);
    apply(plan, template.dir, root);
    const renames = renameOptions(root, deprecationsOf(template.dir));
    writeRecord(root, plan.record);
    log('Regenerating (npx projen --no-post) ...');
    // --no-post: projen's own post step would install with 'npm ci' under CI=true; the upgrade installs itself, only when needed.
    projen(root, ['--no-post']);
    log('Regenerated.');
    if (dependencyChecksums(root) !== dependenciesBefore) {
      log('The dependencies changed: installing them (npm ci) ...');
      (options.install ?? installDependencies)(root);
    }
    const after = generatedChecksums(root);
    const regenerated = [...new Set([...before.keys(), ...after.keys()])].filter((p) => before.get(p) !== after.get(p)).sort();
    const checks = options.checks ?? true;
    if (checks) {
      log('Running the service checks (npx projen test:service) ...');
      try {
        projen(root, ['test:service']);
      } catch (e) {
        throw new Error(`the new template files are in place but the service checks failed (${(e as Error).message.split('\n')[0]}); fix what they report, or undo the upgrade with 'git checkout -- . && git clean -fd'`);
      }
    }
    const summary = renderSummary({
      from: record.template,
      to: template.target,
      plan,
      changelog,
      renames,
      regenerated,
      serviceChecks: checks ? 'passed' : 'skipped',
    });
    return { kind: 'upgraded', summary };
  } finally {
    template.dispose();
  }
}
