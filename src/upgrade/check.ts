/**
 * `npx projen check:platform`, the first service check: platform-owned files must match the record.
 * The I/O is reading the tree; the comparison and the message are pure (checksum.ts).
 */
import { driftFrom, hasDrift, renderDrift } from './checksum';
import { readRecord } from './stamp';
import { checksumsOf, readTree } from './tree';

export type CheckResult = { readonly ok: true; readonly message: string } | { readonly ok: false; readonly message: string };

/** `repository`: this repository's github owner/repo (the spec's), to tell the template from a copy not yet stamped. */
export function checkPlatformFiles(root: string, repository: string): CheckResult {
  const record = readRecord(root);
  if (!record) {
    return {
      ok: false,
      message: "No platform record (.slipway/platform.json). It comes with the template; restore it from this repository's history (`git log --all -- .slipway/platform.json`, then `git checkout <commit> -- .slipway/platform.json`).",
    };
  }
  if (record.role === 'template' && record.repository !== repository) {
    return {
      ok: false,
      message: `This is a copy of the Slipway template (${record.repository}) for ${repository}, not stamped yet: run 'npx projen' in its git repository (git init first if there is none) to write .slipway/platform.json, and commit it.`,
    };
  }
  if (record.role === 'template') return { ok: true, message: 'The template repository: platform files are edited here, nothing to check.' };
  const tree = readTree(root);
  const drift = driftFrom(record.files, new Map(Object.entries(checksumsOf(tree.platform))));
  if (hasDrift(drift)) return { ok: false, message: renderDrift(drift, record.template.version) };
  return { ok: true, message: `${Object.keys(record.files).length} platform-owned files match the platform record (template ${record.template.version ?? 'unreleased'}).` };
}
