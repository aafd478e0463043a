/**
 * One ScenarioSource made of several allocator systems (zsmalloc, zbud, the buddy allocator),
 * each contributing its designs, scenarios, mutations and invariants. Designs are disjoint, so a
 * run goes to the system that owns its design.
 */
import { InputError } from '../errors.js';
import type { ScenarioLike, ScenarioSource } from '../source.js';

export function combineSources(parts: readonly ScenarioSource[]): ScenarioSource {
  const designs = parts.flatMap((p) => p.designs);
  const dup = designs.find((d, i) => designs.indexOf(d) !== i);
  if (dup !== undefined) throw new Error(`design ${dup} is contributed by two systems`);
  const owner = (design: string | undefined): ScenarioSource => {
    const p = parts.find((x) => design !== undefined && x.designs.includes(design));
    if (!p) throw new InputError(`unknown design '${design}' (designs: ${designs.join(', ')})`);
    return p;
  };
  const scenarios = () => parts.flatMap((p) => p.scenarios());
  const reader = parts.find((p) => p.readScenarioFile && p.readRegressionDir);
  return {
    designs,
    scenarios,
    findScenario: (id) => {
      for (const p of parts) {
        const s = p.findScenario(id);
        if (s) return s;
      }
      return undefined;
    },
    buildSystem: (spec) => owner(spec.design).buildSystem(spec),
    checkOptions: (s) => owner(s.designs[0]).checkOptions?.(s) ?? {},
    mutations: parts.flatMap((p) => p.mutations),
    invariants: parts.flatMap((p) => p.invariants),
    // The user's files are in zsmalloc's scenario format: the first system that reads them does.
    ...(reader ? { readScenarioFile: (f: string) => reader.readScenarioFile!(f), readRegressionDir: (d: string) => reader.readRegressionDir!(d) } : {}),
    scenarioToJson: (s) => owner(s.designs[0]).scenarioToJson?.(s),
    regressionText: (s, t, name, from) => {
      const p = owner(s.designs[0]);
      if (!p.regressionText) throw new InputError(`scenario ${s.id}: designs ${p.designs.join(', ')} have no regression file format yet`);
      return p.regressionText(s, t, name, from);
    },
    protocolSwitches: parts.flatMap((p) => p.protocolSwitches ?? []),
    protocolApplies: (s) => owner(s.designs[0]).protocolApplies?.(s) ?? false,
    padScenario: (s: ScenarioLike, n: number) => {
      const p = owner(s.designs[0]);
      if (!p.padScenario) throw new InputError(`scenario ${s.id}: extra threads are not supported for designs ${p.designs.join(', ')}`);
      return p.padScenario(s, n);
    },
  };
}

