import { describe, expect, it } from 'vitest';
import { check, StateLayout, type TransitionSystem } from '../../explorer/index.js';
import { parallelBfs } from '../../explorer/parallel/index.js';
import { counters } from '../fixtures/counters.js';
import { confirmsViolation, referenceExplore } from '../explorer/reference.js';

// Findings on a level that spans many chunks, claimed by several workers taking turns in this
// thread: the search must report the one the single-threaded search meets first (lowest id),
// so its trace is that search's trace, whichever worker found it. States span 3 words.

/** counters(3, n) plus two 30-bit fields that never change (3 words a state). With `stuckAt`,
 *  no thread moves once the counters add up to it (a deadlock on that level). */
function wide(n: number, opts: { limit?: number; stuckAt?: number } = {}): TransitionSystem {
  const base = counters(3, n, opts.limit === undefined ? {} : { limit: opts.limit });
  const stuck = opts.stuckAt;
  return {
    ...base,
    fields: [...base.fields, { name: 'pad0', min: 0, max: 2 ** 30 }, { name: 'pad1', min: 0, max: 2 ** 30 }],
    initialStates: () => [Int32Array.of(0, 0, 0, 123456789, 987654321)],
    actions(s, sink) {
      if (stuck !== undefined && s[0] + s[1] + s[2] === stuck) return;
      base.actions(s, sink);
    },
  };
}

describe('parallel BFS: findings spread over many chunks and workers', () => {
  // Level d <= 30 of counters(3, 30) holds C(d + 2, 2) states: level 19 (210) and level 20
  // (231) span 4 chunks of 64 each.
  it('the fixture spans 3 words a state', () => {
    expect(new StateLayout(wide(30).fields).wordsPerState).toBe(3);
  });

  const cases: [string, () => TransitionSystem, 'invariant' | 'deadlock'][] = [
    ['every state of level 19 has a successor breaking the invariant (sum 20)', () => wide(30, { limit: 20 }), 'invariant'],
    ['every state of level 20 is a deadlock', () => wide(30, { stuckAt: 20 }), 'deadlock'],
  ];
  for (const [name, make, kind] of cases) {
    it(`${name}: 1 to 4 workers report the single-threaded search's trace (lowest id), of the reference's shortest length`, async () => {
      const sys = make();
      const single = check(sys, { partialOrder: false, checkProgress: false });
      const ref = referenceExplore(sys);
      expect(single.verdict).toBe('violated');
      expect(single.violation!.kind).toBe(kind);
      expect(single.violation!.trace.steps.length).toBe(ref.shortestViolation);
      for (const workers of [1, 2, 3, 4]) {
        const r = (await parallelBfs(sys, null, { workers })).result;
        expect(r.verdict).toBe('violated');
        expect(r.violation!.kind).toBe(kind);
        expect(r.violation!.trace).toEqual(single.violation!.trace);
        expect(confirmsViolation(sys, r.violation!)).toBe(true);
        // Everything up to the finding's level was explored, as in the single-threaded search.
        expect(r.stats.maxDepth).toBe(single.stats.maxDepth);
      }
    });
  }

  it('holding, multi-word: states, transitions, depth and per-label coverage equal the hand counts for 1 to 4 workers', async () => {
    const sys = wide(12);
    for (const workers of [1, 2, 3, 4]) {
      const r = (await parallelBfs(sys, null, { workers, tableSlots: 4096 })).result;
      expect(r.verdict).toBe('holds');
      expect(r.stats.distinctStates).toBe(13 ** 3);
      expect(r.stats.transitions).toBe(3 * 12 * 13 ** 2);
      expect(r.stats.maxDepth).toBe(36);
      // Each thread's increment fires once from every state where its counter is below 12.
      expect(r.coverage).toEqual([12 * 13 ** 2, 12 * 13 ** 2, 12 * 13 ** 2]);
    }
  });

  it('holding, multi-word, levels growing past the first output buffers (up to 331 states a level): 31^3 states and 3 * 30 * 31^2 transitions for 1 and 2 workers', async () => {
    // Level d of counters(3, 30) holds C(d + 2, 2) states for d <= 30 (then shrinks): the
    // output of a level outgrows every buffer of the levels before, which come back as spares.
    const sys = wide(30);
    for (const workers of [1, 2]) {
      const r = (await parallelBfs(sys, null, { workers })).result;
      expect(r.verdict).toBe('holds');
      expect(r.stats.distinctStates).toBe(31 ** 3);
      expect(r.stats.transitions).toBe(3 * 30 * 31 ** 2);
      expect(r.stats.maxDepth).toBe(90);
    }
  });
});
