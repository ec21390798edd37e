/**
 * Resources AWS allows once per account (the GitHub OIDC provider, one per URL; the OpenSearch service-linked
 * role, one per service): with several stages in one account only the first stage that asks for one creates it,
 * and the later stages of that account wait for it. Pure over the estate.
 */
import type { EstateSpec, ServiceSpec } from '../spec';

/** The account a stage deploys to: its pinned id, or '' for the deploying credentials' (the spec rejects mixed pinning). */
export function accountKey(stage: Pick<ServiceSpec, 'account'>): string {
  return stage.account ?? '';
}

/** For each account, the first stage (in promotion order) for which `wants` holds: the stage that creates the singleton. */
export function firstStagePerAccount(estate: Pick<EstateSpec, 'stages'>, wants: (stage: ServiceSpec) => boolean): Map<string, string> {
  const first = new Map<string, string>();
  for (const stage of estate.stages) {
    if (wants(stage) && !first.has(accountKey(stage))) first.set(accountKey(stage), stage.stage.name);
  }
  return first;
}

/** The stages whose access stack creates the GitHub OIDC provider: none unless github.createOidcProvider, then the first of each account. */
export function oidcProviderCreators(estate: Pick<EstateSpec, 'github' | 'stages'>): Set<string> {
  return new Set(estate.github.createOidcProvider ? firstStagePerAccount(estate, () => true).values() : []);
}

/** The stages whose logs stack creates the OpenSearch service-linked role: the first of each account that sets logs.createServiceLinkedRole. */
export function serviceLinkedRoleCreators(estate: Pick<EstateSpec, 'stages'>): Set<string> {
  return new Set(firstStagePerAccount(estate, (stage) => stage.logs.createServiceLinkedRole).values());
}
