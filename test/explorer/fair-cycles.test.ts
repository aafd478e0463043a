import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { check, replay, type StateVector, type TransitionSystem } from '../../explorer/index.js';
import { randomSystem, type RandomSpec } from '../fixtures/random-system.js';
import { applyAction, collectActions, referenceExplore } from './reference.js';
import { key } from './naive-progress.js';
import { runs } from '../fuzz-runs.js';

type Fairness = 'none' | 'weak' | 'strong';

/**
 * Brute force, independent of Tarjan: a run that never reaches the goal exists iff some set S
 * of goal-free states, reachable from a goal-free initial state through goal-free states, is
 * what a run visits for ever: S with all edges among its states is strongly connected (with at
 * least one edge), and fair: weak: every thread steps inside S or is disabled in a state of S;
 * strong: every thread enabled in a state of S steps inside S. Or a goal-free state with no
 * successor is reachable so. Every subset of the region is tried.
 */
function naiveEventuallyBroken(sys: TransitionSystem, goal: (s: StateVector) => boolean, fairness: Fairness): boolean | null {
  const region = new Map<string, StateVector>();
  const todo: StateVector[] = [];
  for (const s of sys.initialStates()) if (!goal(s) && !region.has(key(s))) { region.set(key(s), s); todo.push(s); }
  while (todo.length > 0) {
    const s = todo.pop()!;
    for (const a of collectActions(sys, s)) {
      const n = applyAction(sys, s, a).next;
      if (!goal(n) && !region.has(key(n))) { region.set(key(n), n); todo.push(n); }
    }
  }
  const states = [...region.values()];
  if (states.some((s) => collectActions(sys, s).length === 0)) return true;
  if (states.length > 12) return null;
  const idx = new Map(states.map((s, i) => [key(s), i]));
  const edges = states.map((s) => collectActions(sys, s).map((a) => ({ to: idx.get(key(applyAction(sys, s, a).next)), thread: a.thread })));
  const enabled = states.map((s) => new Set(collectActions(sys, s).map((a) => a.thread)));
  const T = sys.threads.length;
  for (let mask = 1; mask < 1 << states.length; mask++) {
    const inS = (i: number | undefined) => i !== undefined && ((mask >> i) & 1) === 1;
    const members = states.map((_, i) => i).filter((i) => inS(i));
    // Strongly connected with an edge: every member reaches every member (through S) by >= 1 step.
    const reach = (from: number): Set<number> => {
      const seen = new Set<number>();
      const q = [from];
      while (q.length > 0) {
        const v = q.pop()!;
        for (const e of edges[v]) if (inS(e.to) && !seen.has(e.to!)) { seen.add(e.to!); q.push(e.to!); }
      }
      return seen;
    };
    if (!members.every((m) => { const r = reach(m); return members.every((x) => r.has(x)); })) continue;
    const taken = new Set<number>();
    for (const m of members) for (const e of edges[m]) if (inS(e.to)) taken.add(e.thread);
    let fair = true;
    for (let t = 0; t < T && fair; t++) {
      if (taken.has(t)) continue;
      if (fairness === 'weak' && members.every((m) => enabled[m].has(t))) fair = false;
      if (fairness === 'strong' && members.some((m) => enabled[m].has(t))) fair = false;
    }
    if (fair) return true;
  }
  return false;
}

const specArb: fc.Arbitrary<RandomSpec> = fc
  .record({ nodes: fc.integer({ min: 1, max: 5 }), threads: fc.integer({ min: 1, max: 3 }) })
  .chain(({ nodes, threads }) => fc.record({
    nodes: fc.constant(nodes),
    threads: fc.constant(threads),
    edges: fc.array(fc.record({ from: fc.nat(nodes - 1), to: fc.nat(nodes - 1), thread: fc.nat(threads - 1), bump: fc.constantFrom(0, 0, 1, 2), fails: fc.constant(false) }), { maxLength: 4 * nodes }),
    bad: fc.constant([]),
    // Every node counts as done: the progress property is what is under test, not non-progress.
    done: fc.constant(Array.from({ length: nodes }, (_, i) => i)),
    initial: fc.uniqueArray(fc.nat(nodes - 1), { minLength: 1, maxLength: 2 }),
  }));

describe('fair-cycle search against brute force over every set of states', () => {
  for (const fairness of ['none', 'weak', 'strong'] as const) {
    it(`"eventually goal" is broken iff brute force finds a ${fairness === 'none' ? '' : `${fairness}ly fair `}goal-free run, and the lasso replays (fairness ${fairness})`, () => {
      const n = runs(500);
      let decided = 0, broken = 0;
      fc.assert(fc.property(specArb, fc.uniqueArray(fc.nat(19), { maxLength: 6 }), (spec, goalStates) => {
        const goalSet = new Set(goalStates);
        const goal = (s: StateVector) => goalSet.has(s[0] * 4 + s[1]);
        const sys: TransitionSystem = {
          ...randomSystem(spec),
          progressProperties: [{ name: 'goal', description: 'the goal is reached', kind: 'eventually', holds: goal }],
        };
        const want = naiveEventuallyBroken(sys, goal, fairness);
        if (want === null) return;
        decided++;
        expect(referenceExplore(sys, false).states.size).toBeGreaterThan(0);
        const r = check(sys, { checkDeadlock: false, fairness });
        expect(r.verdict).toBe(want ? 'violated' : 'holds');
        if (want) broken++;
        if (r.violation) {
          expect(r.violation.invariant).toBe('goal');
          const rep = replay(sys, r.violation.trace, { checkDeadlock: false, property: 'goal', fairness });
          expect(rep.divergence).toBeUndefined();
          expect(rep.violation?.kind).toBe('liveness');
        }
      }), { numRuns: n });
      // Neither answer dominates: both were exercised.
      expect(decided).toBeGreaterThan(0.4 * n);
      expect(broken).toBeGreaterThan(0.06 * n);
      expect(decided - broken).toBeGreaterThan(0.06 * n);
    });
  }
});
