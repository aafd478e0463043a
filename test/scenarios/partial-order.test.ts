import { describe, expect, it } from 'vitest';
import { check, type TransitionSystem } from '../../explorer/index.js';
import { allScenarios, buildSystem, findScenario } from '../../scenarios/zsmalloc/index.js';
import type { Scenario } from '../../scenarios/zsmalloc/types.js';
import type { Design } from '../../model/zsmalloc/designs.js';
import { buildMachine } from '../../model/zsmalloc/system.js';
import { privateFields } from '../../model/zsmalloc/footprints.js';

/**
 * Partial-order reduction with the zsmalloc footprints, cross-checked against the full search
 * on the default suite. With the whole catalogue it hardly ever applies (every step writes its
 * pc, which the ghost-by-pc invariants read; bench/reductions.ts prints the figures), so the
 * runs here keep only the properties that read no thread's pc or locals: steps that touch
 * nothing those read are then invisible, ample sets are taken, and a footprint that missed an
 * access could hide a violation or a deadlock the full search finds.
 */
function withoutPcReaders(sys: TransitionSystem, privates: ReadonlySet<number>): TransitionSystem {
  const keep = (p: { readonly reads?: readonly number[] }) => p.reads !== undefined && !p.reads.some((i) => privates.has(i));
  return { ...sys, invariants: sys.invariants.filter(keep), actionProperties: (sys.actionProperties ?? []).filter(keep) };
}

/** The largest runs without reductions (~740 k, ~180 k, ~14 M, ~6.6 M, ~1.35 M and ~1.44 M
 *  states over their designs) are left to the bench (reductions.test.ts cross-checks the last
 *  four against the full search). */
const large = new Set([
  'reisolate-after-putback', 'compact-migrate-free-read', 'six-readers-migrate-spanning',
  'two-users-migrate-any-frame', 'huge-users-migrate-any-frame', 'malloc-enomem-vs-migrate',
]);

function reducedSystem(scenario: Scenario, design: Design): TransitionSystem {
  const m = buildMachine({
    design, pool: scenario.shape, threads: scenario.threads, setup: scenario.setup,
    mutations: scenario.mutation ? [scenario.mutation] : [], protocol: scenario.options ?? {}, config: scenario.config,
  });
  const privates = new Set(Array.from({ length: m.T }, (_, t) => privateFields(m, t)).flat());
  return withoutPcReaders(buildSystem({ scenario, design, footprints: true }), privates);
}

describe('zsmalloc partial-order reduction against the full search', () => {
  for (const scenario of allScenarios()) {
    if (large.has(scenario.id)) continue;
    for (const design of scenario.designs) {
      it(`${scenario.id} under ${design}: the same verdict, violated property and no more states with the footprints as without`, () => {
        const sys = reducedSystem(scenario, design);
        expect(sys.stepFootprint).toBeDefined();
        const opts = { checkProgress: false, symmetry: false, maxStates: scenario.bounds.maxStates };
        const full = check(sys, { ...opts, partialOrder: false });
        const reduced = check(sys, opts);
        expect(reduced.stats.reductions).toMatchObject({ partialOrder: true });
        expect(reduced.verdict).toBe(full.verdict);
        expect(reduced.violation?.kind).toBe(full.violation?.kind);
        expect(reduced.violation?.invariant).toBe(full.violation?.invariant);
        expect(reduced.stats.distinctStates).toBeLessThanOrEqual(full.stats.distinctStates);
      }, 120_000);
    }
  }
  it('ample sets are taken in such runs (the cross-check is not vacuous) and can save states', () => {
    const runs: Array<[string, Design]> = [['cross-zone-migration', 'memdesc'], ['two-migrations-one-zspage', 'memdesc'], ['huge-class', 'memdesc']];
    let saved = 0;
    for (const [id, design] of runs) {
      const sys = reducedSystem(findScenario(id)!, design);
      const opts = { checkProgress: false, symmetry: false };
      const reduced = check(sys, opts);
      expect(reduced.stats.reductions!.reducedExpansions, id).toBeGreaterThan(100);
      saved += check(sys, { ...opts, partialOrder: false }).stats.distinctStates - reduced.stats.distinctStates;
    }
    expect(saved).toBeGreaterThan(0);
  }, 120_000);
});
