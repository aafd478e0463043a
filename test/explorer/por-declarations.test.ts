import { describe, expect, it } from 'vitest';
import { check, type Footprint, type TransitionSystem } from '../../explorer/index.js';

/**
 * Partial-order reduction needs both footprints: the step's own and the future one of every
 * other thread. A model that declares only one of them is searched in full (and the full
 * count is the hand count: two threads each setting its own flag, 4 states).
 */
const footprint: Footprint = { reads: [], writes: [] };

function flags(extra: Partial<TransitionSystem>): TransitionSystem {
  return {
    fields: [{ name: 'a', min: 0, max: 1 }, { name: 'b', min: 0, max: 1 }],
    threads: ['t0', 't1'],
    labels: ['set'],
    initialStates: () => [Int32Array.of(0, 0)],
    actions(s, sink) { for (let t = 0; t < 2; t++) if (s[t] === 0) sink.push(t, 0, 0); },
    apply(_s, a, next) { next[a.thread] = 1; },
    threadDone: () => true,
    invariants: [],
    ...extra,
  };
}

describe('partial-order reduction declarations', () => {
  it('a model with only stepFootprint, or only futureFootprint, is searched in full', () => {
    for (const extra of [{ stepFootprint: () => footprint }, { futureFootprint: () => footprint }]) {
      const r = check(flags(extra), { partialOrder: true, checkProgress: false });
      expect(r.verdict).toBe('holds');
      expect(r.stats.reductions.partialOrder).toBe(false);
      expect(r.stats.distinctStates).toBe(4);
    }
  });
});
