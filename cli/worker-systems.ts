/**
 * How worker threads build a run's system: `memdesc-mc check --workers N` sends each worker a
 * SystemRef naming this module, `registrySystem`, and (scenario id, design, mutations); the
 * worker imports the module and builds the same deterministic system as the main thread.
 */
import type { SystemRef, TransitionSystem } from '../explorer/index.js';
import type { BuildSpec, ScenarioLike } from './source.js';

/** Builds a run's system in a worker: the scenario is looked up by id in the registry (saved
 *  regressions included); a scenario the registry does not know (read from a file) travels
 *  as plain data in `scenario`. */
export async function registrySystem(id: string, design: string, mutations: readonly string[], scenario?: ScenarioLike): Promise<TransitionSystem> {
  const { loadRegistry } = await import('./registry.js');
  const registry = await loadRegistry();
  // A scenario sent as data wins: it may carry settings the registry's scenario of that id lacks.
  const s = scenario ?? registry.findScenario(id);
  if (s === undefined) throw new Error(`worker: no scenario ${id}`);
  return registry.buildSystem({ scenario: s, design, mutations });
}

/** The SystemRef of a registry run. The scenario travels as data only when the registry does
 *  not know its id. */
export function registrySystemRef(spec: BuildSpec, known: boolean): SystemRef {
  return {
    module: import.meta.url,
    export: 'registrySystem',
    args: [spec.scenario.id, spec.design, spec.mutations ?? [], ...(known ? [] : [spec.scenario])],
  };
}
