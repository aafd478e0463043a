import { describe, expect, it } from 'vitest';
import { allScenarios, buildSystem, runScenario } from '../../scenarios/zsmalloc/index.js';
import type { Design } from '../../model/zsmalloc/designs.js';

/** Every step label of every design is taken by some scenario of the default suite (with or
 *  without its mutation); a label never reached is listed as a gap. */
describe('step coverage of the default suite', () => {
  it('reaches every step label of every design', () => {
    const reached = new Map<Design, Set<string>>();
    const known = new Map<Design, Set<string>>();
    for (const scenario of allScenarios()) {
      for (const design of scenario.designs) {
        const labels = buildSystem({ scenario, design }).labels;
        if (!known.has(design)) known.set(design, new Set(labels));
        const got = reached.get(design) ?? new Set<string>();
        reached.set(design, got);
        const runs = [runScenario(scenario, design)];
        if (scenario.mutation) runs.push(runScenario(scenario, design, { mutations: [] }));
        for (const r of runs) r.result.coverage.forEach((n, i) => { if (n > 0) got.add(labels[i]); });
      }
    }
    const gaps: string[] = [];
    for (const [design, labels] of known) {
      for (const l of labels) if (!reached.get(design)!.has(l)) gaps.push(`${design}: ${l}`);
    }
    expect(gaps, `labels never reached:\n${gaps.join('\n')}`).toEqual([]);
  });
});
