import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { check, replay, exactSetFactory, StateLayout, type VisitedSet } from '../../explorer/index.js';
import { harmless, randomSpecs, randomSystem } from '../fixtures/random-system.js';
import { confirmsViolation, referenceExplore } from './reference.js';
import { runs } from '../fuzz-runs.js';

/** Same shapes, but some edges fail their step. */
const failingSpecArb = fc.tuple(randomSpecs, fc.array(fc.nat(40), { maxLength: 2 })).map(([s, failing]) => ({
  ...s,
  edges: s.edges.map((e, i) => ({ ...e, fails: failing.includes(i) })),
}));


/** Wraps the exact set and records every state the engine stores, unpacked to JSON text. */
function recordingSet(layout: StateLayout, into: Set<string>) {
  return (words: number): VisitedSet => {
    const inner = exactSetFactory(words);
    const state = layout.newState();
    return {
      lossy: false,
      get size() { return inner.size; },
      get bytes() { return inner.bytes; },
      add(w, off, hi, lo) {
        const isNew = inner.add(w, off, hi, lo);
        if (isNew) {
          layout.unpack(w, off, state);
          into.add(JSON.stringify(Array.from(state)));
        }
        return isNew;
      },
    };
  };
}

describe('random transition systems against a naive reference explorer', () => {
  it('the reachable set is exactly the reference reachable set (bfs and dfs, exact and fingerprint sets)', () => {
    fc.assert(
      fc.property(randomSpecs, (spec) => {
        const sys = randomSystem(harmless(spec));
        const ref = referenceExplore(sys, false);
        for (const strategy of ['bfs', 'dfs'] as const) {
          const seen = new Set<string>();
          const r = check(sys, { checkProgress: false, strategy, checkDeadlock: false, visitedSet: recordingSet(new StateLayout(sys.fields), seen) });
          expect(r.verdict).toBe('holds');
          expect([...seen].sort()).toEqual([...ref.states.keys()].sort());
          expect(check(sys, { checkProgress: false, strategy, checkDeadlock: false }).stats.distinctStates).toBe(ref.states.size);
        }
      }),
      { numRuns: runs(150) },
    );
  });

  it('BFS finds a violation iff one exists, as a real path of minimal length; DFS agrees on the verdict', () => {
    fc.assert(
      fc.property(failingSpecArb, fc.boolean(), (spec, deadlock) => {
        const sys = randomSystem(spec);
        const ref = referenceExplore(sys, deadlock);
        const r = check(sys, { checkProgress: false, checkDeadlock: deadlock });
        expect(r.verdict).toBe(ref.shortestViolation >= 0 ? 'violated' : 'holds');
        if (r.violation) {
          expect(r.violation.trace.steps.length).toBe(ref.shortestViolation);
          expect(confirmsViolation(sys, r.violation)).toBe(true);
          const rep = replay(sys, r.violation.trace, { checkDeadlock: deadlock });
          expect(rep.divergence).toBeUndefined();
          expect(rep.violation?.kind).toBe(r.violation.kind);
        }
        const d = check(sys, { checkProgress: false, strategy: 'dfs', checkDeadlock: deadlock });
        expect(d.verdict).toBe(r.verdict);
        if (d.violation) expect(confirmsViolation(sys, d.violation)).toBe(true);
      }),
      { numRuns: runs(300) },
    );
  });

  it('simulation reports only real violations, never a pass, and is reproducible from its seed', () => {
    fc.assert(
      fc.property(failingSpecArb, fc.integer(), (spec, seed) => {
        const sys = randomSystem(spec);
        const ref = referenceExplore(sys);
        const opts = { strategy: 'simulate', seed, walks: 30, walkDepth: 20 } as const;
        const a = check(sys, opts);
        const b = check(sys, opts);
        expect(b.verdict).toBe(a.verdict);
        expect(b.violation).toEqual(a.violation);
        expect(b.stats.distinctStates).toBe(a.stats.distinctStates);
        expect(b.stats.transitions).toBe(a.stats.transitions);
        if (a.verdict === 'violated') {
          expect(ref.shortestViolation).toBeGreaterThanOrEqual(0);
          expect(confirmsViolation(sys, a.violation!)).toBe(true);
        } else {
          expect(a.verdict).toBe('incomplete');
          expect(a.incompleteReason).toMatch(/simulation/);
        }
        expect(a.stats.distinctStates).toBeLessThanOrEqual(ref.states.size);
      }),
      { numRuns: runs(150) },
    );
  });

  it('a state or depth limit below what the space needs gives incomplete with a reason, never holds', () => {
    fc.assert(
      fc.property(randomSpecs, (spec) => {
        const sys = randomSystem(harmless(spec));
        const ref = referenceExplore(sys, false);
        const n = ref.states.size;
        for (const strategy of ['bfs', 'dfs'] as const) {
          const limited = check(sys, { checkProgress: false, strategy, checkDeadlock: false, maxStates: n - 1 });
          expect(limited.verdict).toBe('incomplete');
          expect(limited.incompleteReason).toMatch(/state limit/);
          expect(check(sys, { checkProgress: false, strategy, checkDeadlock: false, maxStates: n }).verdict).toBe('holds');
        }
        const depth = Math.max(...ref.states.values());
        const deep = check(sys, { checkProgress: false, checkDeadlock: false, maxDepth: depth + 1 });
        expect(deep.verdict).toBe('holds');
        if (depth > 0) {
          const shallow = check(sys, { checkProgress: false, checkDeadlock: false, maxDepth: depth - 1 });
          expect(shallow.verdict).toBe('incomplete');
          expect(shallow.incompleteReason).toMatch(/depth bound/);
        }
      }),
      { numRuns: runs(150) },
    );
  });
});
