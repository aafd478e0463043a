import { describe, expect, it } from 'vitest';
import { allScenarios, buildSystem, runScenario } from '../../scenarios/zsmalloc/index.js';

/**
 * Reductions are on by default where the model declares them (today: thread symmetry for
 * threads with identical programs). Every default-suite run that declares one is checked
 * with it and the partial-order footprints together (declared on request, see
 * model/zsmalloc/system.ts) and again without either: the same verdict and the same violated
 * invariant, with fewer states. Runs that declare none are explored in full either way (the
 * engine applies nothing); test/scenarios/partial-order.test.ts cross-checks the footprints
 * alone on the rest of the suite.
 */
describe('default suite with and without reductions', () => {
  for (const scenario of allScenarios()) {
    for (const design of scenario.designs) {
      const sys = buildSystem({ scenario, design });
      const declared = sys.symmetry !== undefined || sys.canonicalise !== undefined || sys.stepFootprint !== undefined;
      if (!declared) continue;
      it(`${scenario.id} under ${design}: the same verdict and invariant with reductions as without`, () => {
        const reduced = runScenario(scenario, design, { footprints: true, check: { checkProgress: false } });
        const full = runScenario(scenario, design, { check: { checkProgress: false, symmetry: false, partialOrder: false } });
        expect(reduced.result.stats.reductions).toMatchObject({ symmetry: true, partialOrder: true });
        expect(full.result.stats.reductions).toMatchObject({ symmetry: false, partialOrder: false });
        expect(reduced.result.verdict).toBe(full.result.verdict);
        expect(reduced.result.violation?.invariant).toBe(full.result.violation?.invariant);
        if (full.result.verdict === 'holds') expect(reduced.result.stats.distinctStates).toBeLessThan(full.result.stats.distinctStates);
      }, 120_000);
    }
  }

  it('runs without a declared reduction report none applied', () => {
    const r = runScenario(allScenarios().find((s) => s.id === 'malloc-vs-free')!, 'zpdesc');
    expect(r.result.stats.reductions).toMatchObject({ symmetry: false, partialOrder: false, reducedExpansions: 0 });
  });
});
