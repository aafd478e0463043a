import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { check, replay, type TransitionSystem } from '../../explorer/index.js';
import { footprintSystem, type FootprintSpec } from '../fixtures/footprint-system.js';
import { applyAction, collectActions, confirmsViolation, referenceExplore } from './reference.js';
import { runs } from '../fuzz-runs.js';

/**
 * The two systems the old `isLocal` contract ("the action touches only thread-private state")
 * got wrong. Fields: pcA (private to A), pcB (private to B), x (shared), y (shared).
 * A's step `a` writes only pcA, so it was "local", but its guard reads x, which B writes.
 * Expanding `a` alone (the old ample rule) hid what happens when B runs first.
 */
function guardedLocalStep(variant: 'invariant' | 'deadlock', declare: 'isLocal' | 'footprints'): TransitionSystem {
  const PCA = 0, PCB = 1, X = 2, Y = 3;
  const sys: TransitionSystem = {
    fields: [
      { name: 'pcA', min: 0, max: 1 }, { name: 'pcB', min: 0, max: 1 },
      { name: 'x', min: 0, max: 1 }, { name: 'y', min: 0, max: 1 },
    ],
    threads: ['A', 'B'],
    labels: ['a', 'a_late', 'b'],
    initialStates: () => [new Int32Array(4)],
    actions(s, sink) {
      if (s[PCA] === 0) {
        if (s[X] === 0) sink.push(0, 0, 0);
        // The invariant variant: once x is set, A takes another way, which sets y.
        else if (variant === 'invariant') sink.push(0, 1, 0);
      }
      if (s[PCB] === 0) sink.push(1, 2, 0);
    },
    apply(_s, a, next) {
      if (a.label === 0) next[PCA] = 1;
      else if (a.label === 1) { next[PCA] = 1; next[Y] = 1; }
      else { next[PCB] = 1; next[X] = 1; }
    },
    threadDone: (s, t) => s[t] === 1,
    invariants: variant === 'invariant'
      ? [{ name: 'y_stays_clear', description: 'y is never set', check: (s) => (s[Y] === 1 ? 'y was set' : null), reads: [Y] }]
      : [],
  };
  if (declare === 'isLocal') return { ...sys, isLocal: (s, a) => a.thread === 0 && a.label === 0 };
  return {
    ...sys,
    stepFootprint: (s, t) => (t === 0
      ? (s[PCA] === 1 ? { reads: [], writes: [] } : { reads: [PCA, X], writes: [PCA, Y] })
      : (s[PCB] === 1 ? { reads: [], writes: [] } : { reads: [PCB], writes: [PCB, X] })),
    futureFootprint: (s, t) => (t === 0
      ? (s[PCA] === 1 ? { reads: [], writes: [] } : { reads: [PCA, X], writes: [PCA, Y] })
      : (s[PCB] === 1 ? { reads: [], writes: [] } : { reads: [PCB], writes: [PCB, X] })),
  };
}

describe('partial-order reduction: the isLocal counterexamples are regression tests', () => {
  for (const declare of ['isLocal', 'footprints'] as const) {
    for (const strategy of ['bfs', 'dfs'] as const) {
      it(`a step whose guard another thread can falsify is not expanded alone: the invariant violation is found (${declare}, ${strategy})`, () => {
        const sys = guardedLocalStep('invariant', declare);
        expect(referenceExplore(sys).shortestViolation).toBe(2);
        const r = check(sys, { checkProgress: false, strategy, partialOrder: true });
        expect(r.verdict).toBe('violated');
        expect(r.violation!.invariant).toBe('y_stays_clear');
        expect(confirmsViolation(sys, r.violation!)).toBe(true);
      });

      it(`a step whose guard another thread can falsify is not expanded alone: the deadlock is found (${declare}, ${strategy})`, () => {
        const sys = guardedLocalStep('deadlock', declare);
        expect(referenceExplore(sys).shortestViolation).toBe(1);
        const r = check(sys, { checkProgress: false, strategy, partialOrder: true });
        expect(r.verdict).toBe('violated');
        expect(r.violation!.kind).toBe('deadlock');
        expect(replay(sys, r.violation!.trace).violation?.kind).toBe('deadlock');
      });
    }
  }
});

const rarely = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: 2 }, { arbitrary: a, weight: 1 });

const stepArb = (threads: number, pcs: number, vars: number) => fc.record({
  thread: fc.nat(threads - 1),
  from: fc.nat(pcs - 1),
  to: fc.nat(pcs),
  // Mostly private steps (pc only), so that there is something to reduce.
  guard: rarely(fc.record({ v: fc.nat(vars - 1), eq: fc.nat(2) })),
  effect: rarely(fc.record({ v: fc.nat(vars - 1), op: fc.constantFrom('set' as const, 'inc' as const), val: fc.nat(2) })),
});

const specArb: fc.Arbitrary<FootprintSpec> = fc
  .record({ threads: fc.integer({ min: 2, max: 3 }), pcs: fc.integer({ min: 1, max: 4 }), vars: fc.integer({ min: 1, max: 3 }) })
  .chain(({ threads, pcs, vars }) => fc.record({
    threads: fc.constant(threads),
    pcs: fc.constant(pcs),
    vars: fc.constant(vars),
    steps: fc.array(stepArb(threads, pcs, vars), { minLength: 1, maxLength: 4 * threads }),
    failing: fc.array(fc.nat(12), { maxLength: 1 }),
    bad: fc.uniqueArray(fc.record({ v: fc.nat(vars - 1), eq: fc.nat(2) }), { maxLength: 2, selector: (b) => b.v }),
    badPc0: fc.option(fc.nat(pcs), { nil: undefined, freq: 4 }),
    undeclaredReads: fc.nat(3).map((n) => n === 0),
  }))
  .map(({ failing, ...s }) => ({ ...s, steps: s.steps.map((st, i) => ({ ...st, fails: failing.includes(i) })) }));

/** Every violation name reachable in the full graph (invariants, failing steps, deadlocks). */
function reachableViolations(sys: TransitionSystem): Set<string> {
  const names = new Set<string>();
  for (const key of referenceExplore(sys, true).states.keys()) {
    const s = Int32Array.from(JSON.parse(key) as number[]);
    for (const inv of sys.invariants) if (inv.check(s) !== null) names.add(inv.name);
    const acts = collectActions(sys, s);
    for (const a of acts) if (applyAction(sys, s, a).failed) names.add('step_allowed');
    if (acts.length === 0 && !sys.threads.every((_, t) => sys.threadDone(s, t))) names.add('deadlock');
  }
  return names;
}

describe('partial-order reduction with declared footprints, on random threaded programs', () => {
  it('the reduced search gives the full search verdict, and its violation is one the full graph has (the same one when there is only one)', () => {
    const n = runs(400);
    let reducedRuns = 0;
    fc.assert(
      fc.property(specArb, (spec) => {
        const sys = footprintSystem(spec);
        const names = reachableViolations(sys);
        for (const strategy of ['bfs', 'dfs'] as const) {
          const full = check(sys, { checkProgress: false, strategy, partialOrder: false });
          const por = check(sys, { checkProgress: false, strategy, partialOrder: true });
          expect(full.verdict).toBe(names.size > 0 ? 'violated' : 'holds');
          expect(por.verdict).toBe(full.verdict);
          if (full.verdict === 'holds') expect(por.stats.distinctStates).toBeLessThanOrEqual(full.stats.distinctStates);
          if (por.stats.reductions!.reducedExpansions > 0) reducedRuns++;
          if (por.violation) {
            expect(confirmsViolation(sys, por.violation)).toBe(true);
            expect(names.has(por.violation.invariant)).toBe(true);
            if (names.size === 1) expect(por.violation.invariant).toBe(full.violation!.invariant);
          }
        }
      }),
      { numRuns: n },
    );
    // The property is not vacuous: many of the systems were actually reduced (about a third of the
    // searches).
    expect(reducedRuns).toBeGreaterThan(n / 5);
  });

  it('an invariant that does not say what it reads makes every writing step visible: no reduction', () => {
    const spec: FootprintSpec = {
      threads: 2, pcs: 2, vars: 2,
      steps: [
        { thread: 0, from: 0, to: 1, effect: { v: 0, op: 'set', val: 1 } },
        { thread: 0, from: 1, to: 2 },
        { thread: 1, from: 0, to: 1, effect: { v: 1, op: 'set', val: 1 } },
        { thread: 1, from: 1, to: 2 },
      ],
      bad: [{ v: 0, eq: 2 }],
    };
    const declared = check(footprintSystem(spec));
    const undeclared = check(footprintSystem({ ...spec, undeclaredReads: true }));
    expect(declared.stats.reductions!.reducedExpansions).toBeGreaterThan(0);
    expect(declared.stats.distinctStates).toBeLessThan(9);
    expect(undeclared.stats.reductions!.reducedExpansions).toBe(0);
    expect(undeclared.stats.distinctStates).toBe(9);
  });
});
