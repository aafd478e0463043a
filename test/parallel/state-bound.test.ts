import { describe, expect, it } from 'vitest';
import { check, type TransitionSystem } from '../../explorer/index.js';
import { parallelBfs } from '../../explorer/parallel/index.js';
import { counters } from '../fixtures/counters.js';
import { lockWorkers } from '../fixtures/lock-workers.js';
import { referenceExplore } from '../explorer/reference.js';

// maxStates bounds the states stored. A search that never needs to store state maxStates + 1
// has seen the whole space: it holds, in the single-threaded search and the parallel one alike.
// Hand counts: counters(k, n) has (n+1)^k states.

const holding: [string, () => TransitionSystem, number][] = [
  ['counters 3x6', () => counters(3, 6), 7 ** 3],
  ['counters 2x40 (levels of several chunks)', () => counters(2, 40), 41 ** 2],
  ['counters 4x4', () => counters(4, 4), 5 ** 4],
  ['lock workers', () => lockWorkers(3, 2), -1],
];

describe('parallel BFS: a state bound of exactly the reachable count', () => {
  for (const [name, make, hand] of holding) {
    it(`${name}: holds with maxStates = the reachable count and is incomplete with one fewer, as in check()`, async () => {
      const sys = make();
      const ref = referenceExplore(sys);
      expect(ref.shortestViolation).toBe(-1);
      const n = ref.states.size;
      if (hand >= 0) expect(n).toBe(hand);
      expect(check(sys, { maxStates: n, partialOrder: false, checkProgress: false }).verdict).toBe('holds');
      expect(check(sys, { maxStates: n - 1, partialOrder: false, checkProgress: false }).verdict).toBe('incomplete');
      for (const workers of [1, 3]) {
        const exact = (await parallelBfs(sys, null, { workers, maxStates: n })).result;
        expect(exact.verdict).toBe('holds');
        expect(exact.stats.distinctStates).toBe(n);
        const under = (await parallelBfs(sys, null, { workers, maxStates: n - 1 })).result;
        expect(under.verdict).toBe('incomplete');
        expect(under.incompleteReason).toMatch(/state limit/);
      }
    });
  }

  it('a bound passed by the only chunk of a level (no claim left to notice it) is incomplete, as in check()', async () => {
    // counters(2, 40): level d (d <= 40) holds d + 1 states, so levels 0..40 hold 861 states;
    // a bound of 861 + 10 is passed while the single chunk of level 40 (41 states) adds level 41.
    const sys = counters(2, 40);
    const bound = 861 + 10;
    expect(check(sys, { maxStates: bound, partialOrder: false, checkProgress: false }).verdict).toBe('incomplete');
    for (const workers of [1, 2]) {
      const r = (await parallelBfs(sys, null, { workers, maxStates: bound })).result;
      expect(r.verdict).toBe('incomplete');
      expect(r.incompleteReason).toMatch(/state limit/);
    }
  });

  it('a bound passed in the first chunk of a level of three stops the level there: incomplete, as in check()', async () => {
    // counters(2, 200): levels 0..130 hold 131 * 132 / 2 = 8,646 states; level 130 (131
    // states) is three chunks, and its first adds 65 states to level 131, past 8,646 + 10.
    const sys = counters(2, 200);
    const bound = 8646 + 10;
    expect(check(sys, { maxStates: bound, partialOrder: false, checkProgress: false }).verdict).toBe('incomplete');
    for (const workers of [1, 2]) {
      const r = (await parallelBfs(sys, null, { workers, maxStates: bound })).result;
      expect(r.verdict).toBe('incomplete');
      expect(r.incompleteReason).toMatch(/state limit/);
      expect(r.stats.maxDepth).toBe(131);
    }
  });
});

