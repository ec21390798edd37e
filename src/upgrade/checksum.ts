/**
 * File checksums for the platform record, and the comparison the build runs. Pure: bytes in, hex out.
 *
 * Line endings: a text file (no NUL byte) is hashed with CRLF turned into LF, so a Windows checkout with
 * core.autocrlf reads as unchanged (.gitattributes asks for LF anyway). Binary files hash as they are.
 * Exec bits are not part of the checksum (Windows has none); the record keeps them apart and the upgrade sets them.
 */
import { createHash } from 'crypto';

export function checksum(bytes: Uint8Array): string {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = !buffer.includes(0);
  const normalised = text ? Buffer.from(buffer.toString('latin1').replace(/\r\n/g, '\n'), 'latin1') : buffer;
  return createHash('sha256').update(normalised).digest('hex');
}

export interface Drift {
  /** Recorded, present, different content. */
  readonly edited: readonly string[];
  /** Recorded, absent. */
  readonly deleted: readonly string[];
  /** Present under a platform-owned path, not recorded. */
  readonly added: readonly string[];
}

/** How the platform files on disk (path → checksum) differ from the record's. */
export function driftFrom(recorded: Readonly<Record<string, string>>, actual: ReadonlyMap<string, string>): Drift {
  const edited: string[] = [];
  const deleted: string[] = [];
  for (const [path, sum] of Object.entries(recorded)) {
    const now = actual.get(path);
    if (now === undefined) deleted.push(path);
    else if (now !== sum) edited.push(path);
  }
  const added = [...actual.keys()].filter((path) => !(path in recorded));
  return { edited: edited.sort(), deleted: deleted.sort(), added: added.sort() };
}

export function hasDrift(drift: Drift): boolean {
  return drift.edited.length + drift.deleted.length + drift.added.length > 0;
}

/** The build's message: every file by name, and the two ways out. */
export function renderDrift(drift: Drift, version: string | null): string {
  const lines = [
    ...drift.edited.map((p) => `  - ${p} (edited)`),
    ...drift.deleted.map((p) => `  - ${p} (deleted)`),
    ...drift.added.map((p) => `  - ${p} (added)`),
  ];
  const at = version ? ` ${version}` : '';
  return [
    `Platform-owned files differ from the platform record (.slipway/platform.json, template${at}):`,
    ...lines,
    'These files belong to the template and are read-only here, like the files projen generates. Two ways out:',
    '  1. Propose the change to the template repository, then take it with `npx projen upgrade-platform` once it is released.',
    '  2. Take the next template version as it is: undo the edit (`git checkout -- <file>`, or delete an added file), then `npx projen upgrade-platform`.',
  ].join('\n');
}
