import type { TransitionSystem } from '../../explorer/system.js';
import { zbudTransitionSystem, type ZbudDesign, type ZbudMutationId } from '../../model/zbud/index.js';
import { zbudStateInvariants } from '../../invariants/zbud/index.js';
import type { ZbudScenario } from './types.js';

/** The transition system of a zbud scenario under a design; `mutations` defaults to the
 *  scenario's own. */
export function buildZbudScenario(scenario: ZbudScenario, design: ZbudDesign, mutations?: readonly ZbudMutationId[]): TransitionSystem {
  if (!scenario.designs.includes(design)) {
    throw new Error(`scenario ${scenario.id} does not run under design ${design} (it runs under ${scenario.designs.join(', ')})`);
  }
  return zbudTransitionSystem({
    design,
    pool: scenario.pool,
    setup: scenario.setup,
    threads: scenario.threads,
    mutations: mutations ?? (scenario.mutation ? [scenario.mutation] : []),
    options: scenario.options,
  }, (m) => ({ invariants: zbudStateInvariants(m) }));
}
