/**
 * The real ScenarioSource: the scenario registry, the mutation list and the invariant catalogue
 * of the zsmalloc model.
 */
import { designs, type Design } from '../model/designs.js';
import { mutations, type MutationId } from '../model/mutations/index.js';
import { invariantCatalogue } from '../invariants/index.js';
import { allScenarios, buildSystem, findScenario, type Scenario } from '../scenarios/index.js';
import type { Op } from '../model/zsmalloc/program.js';
import { loadRegressions } from './regressions.js';
import type { ScenarioLike, ScenarioSource } from './source.js';
import { registrySystemRef } from './worker-systems.js';

/** The CLI reads scenarios through ScenarioLike; the registry's objects are Scenarios. */
const asScenario = (s: ScenarioLike) => s as unknown as Scenario;

/** The registry's scenarios followed by `extra` (the saved regressions). */
export function registryWith(extra: readonly Scenario[]): ScenarioSource {
  const all = [...allScenarios(), ...extra] as unknown as readonly ScenarioLike[];
  return {
    ...registry,
    scenarios: () => all,
    findScenario: (id) => all.find((s) => s.id === id),
  };
}

export const registry: ScenarioSource = {
  designs,
  scenarios: () => allScenarios() as unknown as readonly ScenarioLike[],
  findScenario: (id) => findScenario(id) as unknown as ScenarioLike | undefined,
  buildSystem: (spec) => buildSystem({
    scenario: asScenario(spec.scenario),
    design: spec.design as Design,
    mutations: (spec.mutations ?? []) as MutationId[],
  }),
  systemRef: (spec) => registrySystemRef(spec, (findScenario(spec.scenario.id) as unknown) === spec.scenario),
  // A scenario's bounds make a run `incomplete` rather than endless.
  checkOptions: (s) => {
    const b = asScenario(s).bounds;
    return b ? { maxStates: b.maxStates, ...(b.maxDepth !== undefined ? { maxDepth: b.maxDepth } : {}) } : {};
  },
  mutations,
  invariants: invariantCatalogue,
  padScenario: (s, n) => padScenario(asScenario(s), n) as unknown as ScenarioLike,
};

/**
 * Extra readers that cannot take part in the scenario's bug: they read an object of their own
 * in a size class of its own (a huge class: one object per page, so compaction never touches
 * it), allocated at setup on a page of its own. They only add interleavings.
 */
export function padScenario(s: Scenario, n: number): Scenario {
  if (n === 0) return s;
  const handle = s.shape.handles;
  const cls = s.shape.classes.length;
  const extra: Op[] = [{ kind: 'read', handle }];
  return {
    ...s,
    shape: {
      ...s.shape,
      classes: [...s.shape.classes, { size: s.shape.pageUnits, pagesPerZspage: 1 }],
      pageFrames: s.shape.pageFrames + 1,
      zspageSlots: s.shape.zspageSlots + 1,
      handles: s.shape.handles + 1,
    },
    setup: [...s.setup, { kind: 'malloc', handle, cls, payload: 1 }],
    threads: [...s.threads, ...Array.from({ length: n }, (_, i) => ({ name: `extra${i + 1}`, ops: extra }))],
  };
}

/** The registry with every saved regression (what the CLI runs). */
export async function loadRegistry(): Promise<ScenarioSource> {
  return registryWith((await loadRegressions()).map((r) => r.scenario));
}
