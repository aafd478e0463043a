import { describe, expect, it } from 'vitest';
import { allScenarios, buildSystem, runScenario } from '../../scenarios/zsmalloc/index.js';

/**
 * Reductions are on by default where the model declares them (today: thread symmetry for
 * threads with identical programs, and page-frame symmetry where frames are picked 'any' and
 * something allocates, model/zsmalloc/symmetry.ts; test/scenarios/frame-symmetry.test.ts
 * cross-checks that group on small pools and on every bug scenario re-run with picks 'any'). Every default-suite run that declares one is checked
 * with it and the partial-order footprints together (declared on request, see
 * model/zsmalloc/system.ts) and again without either: the same verdict and the same violated
 * invariant, with fewer states. Runs that declare none are explored in full either way (the
 * engine applies nothing); test/scenarios/partial-order.test.ts cross-checks the footprints
 * alone on the rest of the suite. Where the full space is small enough for the full progress
 * graph too, `check` as declared (progress on the symmetry quotient) is also compared with
 * `check` without reductions (progress on the full graph): the same verdict and property.
 * The costliest full searches here are six-readers-migrate-spanning's (6.6–7.3 M states under
 * zpdesc and memdesc) and two-users-migrate-any-frame's (1.9–2.6 M a design, the handle and
 * frame groups together); a scenario's `bounds.maxStates` must leave room for its full search.
 */

/** Full spaces up to this many states also get the full progress pass (a graph of about 100
 *  bytes a state). */
const FULL_PROGRESS = 400_000;
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
        // Identical threads always merge some interleavings; a frame group merges states only
        // where two allocations can pick frames in either order.
        const threads = (sys.symmetry ?? []).some((g) => g.name === 'threads');
        if (full.result.verdict === 'holds') {
          if (threads) expect(reduced.result.stats.distinctStates).toBeLessThan(full.result.stats.distinctStates);
          else expect(reduced.result.stats.distinctStates).toBeLessThanOrEqual(full.result.stats.distinctStates);
        }
        if (full.result.stats.distinctStates > FULL_PROGRESS) return;
        const declaredCheck = runScenario(scenario, design);
        const fullCheck = runScenario(scenario, design, { check: { symmetry: false, partialOrder: false } });
        expect(fullCheck.result.stats.progress?.quotient ?? false).toBe(false);
        expect(declaredCheck.result.verdict).toBe(fullCheck.result.verdict);
        expect(declaredCheck.result.violation?.invariant).toBe(fullCheck.result.violation?.invariant);
      }, scenario.bounds.maxStates > 1_000_000 ? 600_000 : 120_000);
    }
  }

  it('runs without a declared reduction report none applied', () => {
    const r = runScenario(allScenarios().find((s) => s.id === 'malloc-vs-free')!, 'zpdesc');
    expect(r.result.stats.reductions).toMatchObject({ symmetry: false, partialOrder: false, reducedExpansions: 0 });
  });
});
