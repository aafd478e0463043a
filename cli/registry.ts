/**
 * The real ScenarioSource: the scenario registry, the mutation list and the invariant catalogue
 * of the zsmalloc model.
 */
import { designs, type Design } from '../model/designs.js';
import { mutations, type MutationId } from '../model/mutations/index.js';
import { invariantCatalogue } from '../invariants/index.js';
import { allScenarios, buildSystem, findScenario, type Scenario } from '../scenarios/index.js';
import type { ScenarioLike, ScenarioSource } from './source.js';

/** The CLI reads scenarios through ScenarioLike; the registry's objects are Scenarios. */
const asScenario = (s: ScenarioLike) => s as unknown as Scenario;

export const registry: ScenarioSource = {
  designs,
  scenarios: () => allScenarios() as unknown as readonly ScenarioLike[],
  findScenario: (id) => findScenario(id) as unknown as ScenarioLike | undefined,
  buildSystem: (spec) => buildSystem({
    scenario: asScenario(spec.scenario),
    design: spec.design as Design,
    mutations: (spec.mutations ?? []) as MutationId[],
  }),
  // A scenario's bounds make a run `incomplete` rather than endless.
  checkOptions: (s) => {
    const b = asScenario(s).bounds;
    return b ? { maxStates: b.maxStates, ...(b.maxDepth !== undefined ? { maxDepth: b.maxDepth } : {}) } : {};
  },
  mutations,
  invariants: invariantCatalogue,
};

export async function loadRegistry(): Promise<ScenarioSource> {
  return registry;
}
