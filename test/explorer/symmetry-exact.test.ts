import { describe, expect, it } from 'vitest';
import { check, exactSetFactory, StateLayout, type TransitionSystem } from '../../explorer/index.js';

// Declared symmetry with the exact visited set, which stores each representative's packed
// words: those the group does not touch must be the state's own, copied fresh each time.

/** a and b (one word, interchangeable threads t0 and t1) count to 3; c (a word of its own,
 *  untouched by the group) counts to 3 by t2. Orbits: 10 multisets {a, b} times 4 values of c. */
const pairPlusCounter: TransitionSystem = {
  fields: [{ name: 'a', min: 0, max: 3 }, { name: 'b', min: 0, max: 3 }, { name: 'c', min: 0, max: 2 ** 30 }],
  threads: ['t0', 't1', 't2'],
  labels: ['inc'],
  initialStates: () => [Int32Array.of(0, 0, 0)],
  actions(s, sink) { for (let t = 0; t < 3; t++) if (s[t] < 3) sink.push(t, 0, 0); },
  apply(_s, a, next) { next[a.thread]++; },
  threadDone: (s, t) => s[t] === 3,
  invariants: [],
  symmetry: [{ slots: [[0], [1]] }],
};

describe('declared symmetry with the exact visited set', () => {
  it('the group touches one word of two: one state per orbit, 10 x 4 = 40, as with fingerprints, for BFS and DFS', () => {
    expect(new StateLayout(pairPlusCounter.fields).wordsPerState).toBe(2);
    for (const strategy of ['bfs', 'dfs'] as const) {
      const exact = check(pairPlusCounter, { strategy, symmetry: true, visitedSet: exactSetFactory, checkProgress: false });
      const fp = check(pairPlusCounter, { strategy, symmetry: true, checkProgress: false });
      expect(exact.verdict).toBe('holds');
      expect(exact.stats.distinctStates).toBe(40);
      expect(fp.stats.distinctStates).toBe(40);
    }
  });
});
