import type { TransitionSystem } from '../../explorer/system.js';
import { buddyTransitionSystem, type BuddyDesign, type BuddyMutationId } from '../../model/buddy/index.js';
import { buddyStateInvariants } from '../../invariants/buddy/index.js';
import type { BuddyScenario } from './types.js';

export function buildBuddyScenario(scenario: BuddyScenario, design: BuddyDesign, mutations?: readonly BuddyMutationId[]): TransitionSystem {
  if (!scenario.designs.includes(design)) {
    throw new Error(`scenario ${scenario.id} does not run under design ${design} (it runs under ${scenario.designs.join(', ')})`);
  }
  return buddyTransitionSystem({
    design,
    zone: scenario.zone,
    setup: scenario.setup,
    threads: scenario.threads,
    mutations: mutations ?? (scenario.mutation ? [scenario.mutation] : []),
    options: scenario.options,
  }, (m) => ({ invariants: buddyStateInvariants(m) }));
}
