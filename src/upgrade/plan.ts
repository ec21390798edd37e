/**
 * What an upgrade does, decided before anything is written. Pure: the record, the local tree and the
 * next template version's tree in; the files to write and delete, the table rows and the next record out.
 *
 * No merge happens: platform files are read-only in a stamped repository, so when they match the record
 * (checked first; the upgrade refuses otherwise) the new version's files replace them outright.
 */
import { Drift, driftFrom, hasDrift } from './checksum';
import type { PlatformRecord, TemplateRef } from './record';
import type { Tree, TreeFile } from './tree';

export interface UpgradePlan {
  readonly added: readonly string[];
  readonly changed: readonly string[];
  readonly removed: readonly string[];
  /** Shared files taken from the template (it changed them since the recorded version). */
  readonly sharedTaken: readonly string[];
  /** Files whose exec bit differs (content may be the same). */
  readonly modeChanged: readonly string[];
  readonly record: PlatformRecord;
}

export type PlanResult = { readonly kind: 'refused'; readonly drift: Drift } | { readonly kind: 'plan'; readonly plan: UpgradePlan };

export function planUpgrade(record: PlatformRecord, local: Tree, next: Tree, target: TemplateRef): PlanResult {
  // Platform files the next version generates (or the local tree does) are not compared: projen rewrites them.
  const localPlatform = new Map([...local.platform].filter(([path]) => !next.generated.has(path)));
  const recorded = Object.fromEntries(Object.entries(record.files).filter(([path]) => !next.generated.has(path)));
  const drift = driftFrom(recorded, new Map([...localPlatform].map(([p, f]) => [p, f.checksum])));
  if (hasDrift(drift)) return { kind: 'refused', drift };

  const added: string[] = [];
  const changed: string[] = [];
  const modeChanged: string[] = [];
  for (const [path, f] of next.platform) {
    const now: TreeFile | undefined = localPlatform.get(path);
    if (now === undefined) added.push(path);
    else if (now.checksum !== f.checksum) changed.push(path);
    else if (now.executable !== f.executable) modeChanged.push(path);
  }
  const removed = [...localPlatform.keys()].filter((path) => !next.platform.has(path));
  const sharedTaken = [...next.shared]
    .filter(([path, f]) => record.shared[path] !== f.checksum && local.shared.get(path)?.checksum !== f.checksum)
    .map(([path]) => path);
  const files = Object.fromEntries([...next.platform].map(([p, f]) => [p, f.checksum]));
  const executables = [...next.platform].filter(([, f]) => f.executable).map(([p]) => p);
  const shared = Object.fromEntries([...next.shared].map(([p, f]) => [p, f.checksum]));
  return {
    kind: 'plan',
    plan: {
      added: added.sort(),
      changed: changed.sort(),
      removed: removed.sort(),
      sharedTaken: sharedTaken.sort(),
      modeChanged: modeChanged.sort(),
      record: { ...record, template: target, files, executables, shared },
    },
  };
}
