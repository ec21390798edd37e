/**
 * The platform record (.slipway/platform.json): which template and version a repository came from and the
 * checksum of every platform-owned file as the template shipped it. Pure: parse (with messages that say
 * what to write) and render (stable, sorted, so a diff shows what changed).
 *
 * role 'template': the record in the template repository itself. It names the template (`repository`, the
 * spec's github owner/repo, and `template.source`/`version`, written by `npx projen release-platform`) and
 * holds no checksums: platform files are edited there. role 'service': a stamped repository.
 */

export const RECORD_SCHEMA_VERSION = 1;

export interface TemplateRef {
  /** Where `npx projen upgrade-platform` fetches from: a git URL or path. null: derived from the template's github owner/repo. */
  readonly source: string | null;
  /** The release tag, e.g. 'v1.2.0'; null before the template's first release. */
  readonly version: string | null;
  /** The commit the tag points to; null when the copy could not tell (GitHub's "Use this template" keeps no history). */
  readonly commit: string | null;
}

export interface PlatformRecord {
  readonly schemaVersion: typeof RECORD_SCHEMA_VERSION;
  readonly role: 'template' | 'service';
  /** The GitHub owner/repo this record is for (the spec's github.owner/github.repo). A different one means a new copy. */
  readonly repository: string;
  readonly template: TemplateRef;
  /** Platform-owned path → checksum (src/upgrade/checksum.ts) as the template shipped it. Empty in the template. */
  readonly files: Readonly<Record<string, string>>;
  /** Platform-owned paths with the exec bit. */
  readonly executables: readonly string[];
  /** Shared files (package-lock.json) → checksum as the template shipped them: an upgrade takes the template's only when it changed. */
  readonly shared: Readonly<Record<string, string>>;
}

const HEX64 = /^[0-9a-f]{64}$/;
const REPOSITORY = /^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/;

export class RecordError extends Error {
  constructor(message: string) {
    super(`.slipway/platform.json: ${message}`);
    this.name = 'RecordError';
  }
}

function stringOrNull(value: unknown, path: string, example: string): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string' || value.length === 0) throw new RecordError(`${path} must be a string such as ${example} or null, got ${JSON.stringify(value)}`);
  return value;
}

function checksums(value: unknown, path: string): Record<string, string> {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new RecordError(`${path} must be an object of path → sha256 hex`);
  for (const [file, sum] of Object.entries(value)) {
    if (typeof sum !== 'string' || !HEX64.test(sum)) throw new RecordError(`${path}['${file}'] must be a sha256 hex checksum (64 lowercase hex digits), got ${JSON.stringify(sum)}`);
  }
  return value as Record<string, string>;
}

/** Parses and validates a record's text. */
export function parseRecord(text: string): PlatformRecord {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new RecordError(`not valid JSON (${(e as Error).message}); restore it with \`git checkout -- .slipway/platform.json\``);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new RecordError('must be a JSON object');
  const o = raw as Record<string, unknown>;
  if (o.schemaVersion !== RECORD_SCHEMA_VERSION) {
    throw new RecordError(`schemaVersion ${JSON.stringify(o.schemaVersion)} is not ${RECORD_SCHEMA_VERSION}; this Slipway reads version ${RECORD_SCHEMA_VERSION} only`);
  }
  if (o.role !== 'template' && o.role !== 'service') throw new RecordError(`role must be 'template' or 'service', got ${JSON.stringify(o.role)}`);
  if (typeof o.repository !== 'string' || !REPOSITORY.test(o.repository)) {
    throw new RecordError(`repository must be a GitHub owner/repo such as 'my-org/orders-api', got ${JSON.stringify(o.repository)}`);
  }
  const t = (o.template ?? {}) as Record<string, unknown>;
  const commit = stringOrNull(t.commit, 'template.commit', 'a 40-hex commit');
  if (commit !== null && !/^[0-9a-f]{40}$/.test(commit)) throw new RecordError(`template.commit must be a full 40-hex commit, got '${commit}'`);
  const executables = o.executables ?? [];
  if (!Array.isArray(executables) || !executables.every((e) => typeof e === 'string')) throw new RecordError('executables must be a list of paths');
  return {
    schemaVersion: RECORD_SCHEMA_VERSION,
    role: o.role,
    repository: o.repository,
    template: {
      source: stringOrNull(t.source, 'template.source', "'https://github.com/my-org/slipway.git'"),
      version: stringOrNull(t.version, 'template.version', "'v1.2.0'"),
      commit,
    },
    files: checksums(o.files, 'files'),
    executables: executables as string[],
    shared: checksums(o.shared, 'shared'),
  };
}

function sorted(o: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The record's text: keys in a fixed order, files sorted, trailing newline. */
export function renderRecord(record: PlatformRecord): string {
  const ordered = {
    'schemaVersion': record.schemaVersion,
    'role': record.role,
    'repository': record.repository,
    'template': { source: record.template.source, version: record.template.version, commit: record.template.commit },
    '//': record.role === 'service'
      ? 'Written by the first `npx projen` in this repository and by `npx projen upgrade-platform`; do not edit. The files below are read-only here.'
      : 'The template repository: `npx projen release-platform` writes template.version. A copy of this repository records its own checksums on its first `npx projen`.',
    'files': sorted(record.files),
    'executables': [...record.executables].sort(),
    'shared': sorted(record.shared),
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

/** Where upgrades come from when the record names no source: the template's own GitHub repository. */
export function sourceOf(record: Pick<PlatformRecord, 'template'>, templateRepository: string): string {
  return record.template.source ?? `https://github.com/${templateRepository}.git`;
}
