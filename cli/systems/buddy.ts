/** The buddy allocator as the CLI sees it: designs, scenarios, mutations, invariants. */
import { buddyDesigns, buddyMutations, isBuddyDesign, isBuddyMutation, validateBuddySpec, type BuddyMutationId } from '../../model/buddy/index.js';
import { buddyInvariantDocs } from '../../invariants/buddy/index.js';
import { buddyScenarios, type BuddyScenario } from '../../scenarios/buddy/index.js';
import { buildBuddyScenario } from '../../scenarios/buddy/run.js';
import { InputError } from '../errors.js';
import type { ScenarioLike, ScenarioSource } from '../source.js';

const all = buddyScenarios as unknown as readonly ScenarioLike[];

export const buddySource: ScenarioSource = {
  designs: buddyDesigns,
  scenarios: () => all,
  findScenario: (id) => all.find((s) => s.id === id),
  buildSystem: (spec) => {
    const s = spec.scenario as unknown as BuddyScenario;
    if (!isBuddyDesign(spec.design)) throw new InputError(`unknown buddy design '${spec.design}'`);
    const mutations = spec.mutations ?? (s.mutation ? [s.mutation] : []);
    const bad = mutations.find((m) => !isBuddyMutation(m));
    if (bad !== undefined) throw new InputError(`mutation ${bad} does not apply to buddy designs`);
    const problem = validateBuddySpec({ design: spec.design, zone: s.zone, threads: s.threads, setup: s.setup });
    if (problem) throw new InputError(`scenario ${s.id}: ${problem}`);
    return buildBuddyScenario(s, spec.design, mutations as BuddyMutationId[]);
  },
  checkOptions: (s) => ({ maxStates: (s as unknown as BuddyScenario).bounds.maxStates }),
  mutations: buddyMutations,
  invariants: buddyInvariantDocs,
};
