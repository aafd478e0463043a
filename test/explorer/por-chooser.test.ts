import { describe, expect, it } from 'vitest';
import { check, replay, type Footprint, type TransitionSystem } from '../../explorer/index.js';
import { referenceExplore } from './reference.js';

const none: Footprint = { reads: [], writes: [] };

/**
 * Threads A, B, C; fields pcA, pcB, pcC, x. A finishes only while x = 0; B sets x (and
 * finishes); C takes one private step. Two initial states: in the first B has already
 * finished, in the second it has not, so only there can B run first and deadlock A.
 * What B may still do differs between the two initial states: a reduction that reused B's
 * future footprint from the first state would expand A alone in the second and lose the
 * deadlock.
 */
function staleFuture(): TransitionSystem {
  const PCA = 0, PCB = 1, PCC = 2, X = 3;
  const a: Footprint = { reads: [PCA, X], writes: [PCA] };
  const b: Footprint = { reads: [PCB], writes: [PCB, X] };
  const c: Footprint = { reads: [PCC], writes: [PCC] };
  const fp = (s: Int32Array, t: number) => (s[t] === 1 ? none : [a, b, c][t]);
  return {
    fields: [{ name: 'pcA', min: 0, max: 1 }, { name: 'pcB', min: 0, max: 1 }, { name: 'pcC', min: 0, max: 1 }, { name: 'x', min: 0, max: 1 }],
    threads: ['A', 'B', 'C'],
    labels: ['a', 'b', 'c'],
    initialStates: () => [Int32Array.of(0, 1, 0, 0), Int32Array.of(0, 0, 0, 0)],
    actions(s, sink) {
      if (s[PCA] === 0 && s[X] === 0) sink.push(0, 0, 0);
      if (s[PCB] === 0) sink.push(1, 1, 0);
      if (s[PCC] === 0) sink.push(2, 2, 0);
    },
    apply(_s, act, next) {
      next[act.thread] = 1;
      if (act.thread === 1) next[X] = 1;
    },
    threadDone: (s, t) => s[t] === 1,
    invariants: [],
    stepFootprint: fp,
    futureFootprint: fp,
  };
}

/** Two threads, B finished from the start; A takes two steps, each with two choices. No state
 *  has two threads enabled, so nothing is reduced, though A is independent of B. */
function oneAtATime(): TransitionSystem {
  const fp = (s: Int32Array, t: number): Footprint => (s[t] === 2 ? none : { reads: [t], writes: [t] });
  return {
    fields: [{ name: 'pcA', min: 0, max: 2 }, { name: 'pcB', min: 0, max: 2 }],
    threads: ['A', 'B'],
    labels: ['a', 'b'],
    initialStates: () => [Int32Array.of(0, 2)],
    actions(s, sink) {
      if (s[0] < 2) { sink.push(0, 0, 0); sink.push(0, 0, 1); }
      if (s[1] < 2) sink.push(1, 1, 0);
    },
    apply(s, act, next) {
      next[act.thread] = act.choice === 1 ? 2 : s[act.thread] + 1;
    },
    threadDone: (s, t) => s[t] === 2,
    invariants: [],
    stepFootprint: fp,
    futureFootprint: fp,
  };
}

describe('the ample-set choice is made afresh in every state', () => {
  for (const strategy of ['bfs', 'dfs'] as const) {
    it(`what another thread may still do is asked in each state: the deadlock reachable only from the second initial state is found (${strategy})`, () => {
      const sys = staleFuture();
      expect(referenceExplore(sys).shortestViolation).toBe(2);
      const r = check(sys, { strategy, partialOrder: true, checkProgress: false });
      expect(r.stats.reductions!.reducedExpansions).toBeGreaterThan(0);
      expect(r.verdict).toBe('violated');
      expect(r.violation!.kind).toBe('deadlock');
      expect(r.violation!.trace.initial).toBe(1);
      expect(replay(sys, r.violation!.trace).violation?.kind).toBe('deadlock');
    });
  }

  it('a state where only one thread is enabled (with several actions) is not a reduced expansion: nothing is counted, nothing pruned', () => {
    const sys = oneAtATime();
    const r = check(sys, { partialOrder: true, checkProgress: false });
    expect(r.stats.reductions!.partialOrder).toBe(true);
    expect(r.stats.reductions!.reducedExpansions).toBe(0);
    expect(r.stats.distinctStates).toBe(referenceExplore(sys).states.size);
  });
});
