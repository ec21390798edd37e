/** Reading one stage out of the estate, for tools that act on one stage at a time. Pure. */
import type { EstateSpec, ServiceSpec } from './spec';

/**
 * The stage named `name`; with no name, the only stage. Several stages and no name, or a name that is
 * not a stage, is an error that lists the stages to choose from.
 */
export function selectStage(estate: EstateSpec, name: string | undefined, flag = '--stage'): ServiceSpec {
  const names = estate.stages.map((s) => s.stage.name);
  if (name === undefined) {
    if (estate.stages.length === 1) return estate.stages[0];
    throw new Error(`${estate.serviceName} has ${names.length} stages (${names.join(', ')}); say which with ${flag} <${names.join('|')}>`);
  }
  const stage = estate.stages.find((s) => s.stage.name === name);
  if (!stage) throw new Error(`'${name}' is not a stage of ${estate.serviceName}; use ${flag} with one of: ${names.join(', ')}`);
  return stage;
}
