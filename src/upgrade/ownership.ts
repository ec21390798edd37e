/**
 * Who owns each path of a stamped repository (DESIGN.md "Ownership"). The upgrade replaces what the
 * platform owns and never touches what the service team owns; the build checks platform files against
 * the platform record. Pure: paths in, owners out.
 *
 * - platform: copied from the template, read-only in a stamped repo, checksummed in the record.
 * - generated: written by `npx projen` (.projen/files.json, plus package.json); regenerated, never copied.
 * - shared: package-lock.json. The service's own dependency upgrades change it, so it is not checked;
 *   an upgrade takes the template's only when the template changed it since the recorded version.
 * - record: the platform record itself.
 * - service: everything else (`.projenrc.ts`, `app/`, README.md, docs a team adds).
 */

export type Owner = 'platform' | 'generated' | 'shared' | 'record' | 'service';

/** Where the platform record lives. Not a projen file: `npx projen` never rewrites or deletes it. */
export const RECORD_FILE = '.slipway/platform.json';

/** Directories the platform owns, each with everything under it. `test/` holds the platform's tests (the app's are in app/). */
export const PLATFORM_DIRS = ['src/', 'actions/', 'ansible/', 'test/', '.ci/', 'monitoring/'] as const;

/** Single files the platform owns. CHANGELOG.md is the template's, read by the upgrade's summary. */
export const PLATFORM_FILES = ['CHANGELOG.md'] as const;

export const SHARED_FILES = ['package-lock.json'] as const;

/** The owner of `path` (POSIX, relative to the repository root); `generated` is the set projen writes. */
export function ownerOf(path: string, generated: ReadonlySet<string>): Owner {
  if (path === RECORD_FILE) return 'record';
  if (generated.has(path)) return 'generated';
  if ((SHARED_FILES as readonly string[]).includes(path)) return 'shared';
  if ((PLATFORM_FILES as readonly string[]).includes(path)) return 'platform';
  if (PLATFORM_DIRS.some((dir) => path.startsWith(dir))) return 'platform';
  return 'service';
}

/** The files projen generates according to a `.projen/files.json` text; package.json is projen's too but unlisted. */
export function generatedSet(filesJson: string | undefined): Set<string> {
  const listed = filesJson === undefined ? [] : ((JSON.parse(filesJson) as { files?: unknown }).files ?? []);
  if (!Array.isArray(listed)) throw new Error(".projen/files.json has no 'files' list; run 'npx projen' to rewrite it");
  return new Set([...listed.map(String), 'package.json']);
}
