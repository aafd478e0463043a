import { describe, expect, it } from 'vitest';
import { check, StateLayout, type TransitionSystem } from '../../explorer/index.js';
import { parallelBfs } from '../../explorer/parallel/index.js';
import { counters } from '../fixtures/counters.js';
import { wideCounters } from '../fixtures/wide-counters.js';
import { wideFan } from '../fixtures/wide-fan.js';
import { confirmsViolation, referenceExplore } from '../explorer/reference.js';

/** State 0 fans out to x = 0..127 (level 1, two chunks of 64); an even x is a deadlock, an odd
 *  x steps to done. The single-threaded search reports the deadlock with the lowest id, x = 0. */
const fanDeadlocks: TransitionSystem = {
  fields: [{ name: 'phase', min: 0, max: 2 }, { name: 'x', min: 0, max: 127 }],
  threads: ['t'],
  labels: ['fan', 'step'],
  initialStates: () => [Int32Array.of(0, 0)],
  actions(s, sink) {
    if (s[0] === 0) for (let c = 0; c < 128; c++) sink.push(0, 0, c);
    else if (s[0] === 1 && s[1] % 2 === 1) sink.push(0, 1, 0);
  },
  apply(_s, a, next) {
    if (a.label === 0) { next[0] = 1; next[1] = a.choice; } else next[0] = 2;
  },
  threadDone: (s) => s[0] === 2,
  invariants: [],
};

describe('parallel BFS (workers in this thread): states of several words, which finding, bounds', () => {
  it('states of 3 words: the reference count when it holds, the shortest trace when it is violated, for 1 and 3 workers', async () => {
    expect(new StateLayout(wideCounters(3, 5).fields).wordsPerState).toBe(3);
    for (const workers of [1, 3]) {
      const r = (await parallelBfs(wideCounters(3, 5), null, { workers })).result;
      expect(r.verdict).toBe('holds');
      expect(r.stats.distinctStates).toBe(216);
      expect(r.stats.transitions).toBe(3 * 5 * 36);
      const sys = wideCounters(3, 5, { bad: true });
      const v = (await parallelBfs(sys, null, { workers })).result;
      expect(v.verdict).toBe('violated');
      expect(v.violation!.trace.steps.length).toBe(referenceExplore(sys).shortestViolation);
      expect(confirmsViolation(sys, v.violation!)).toBe(true);
    }
  });

  it('among several deadlocks on one level (in both workers\' chunks) the lowest id is reported: the single-threaded trace', async () => {
    const single = check(fanDeadlocks, { checkProgress: false });
    expect(single.violation!.trace.steps.map((s) => s.action.choice)).toEqual([0]);
    for (const workers of [1, 2, 3]) {
      const r = (await parallelBfs(fanDeadlocks, null, { workers })).result;
      expect(r.violation!.kind).toBe('deadlock');
      expect(r.violation!.trace).toEqual(single.violation!.trace);
    }
  });

  it('a time limit that is never reached, and a state bound above the space, change nothing; one state fewer than the space is incomplete', async () => {
    const sys = counters(3, 6);
    for (const opts of [{ timeLimitMs: 600_000 }, { maxStates: 344 }]) {
      const r = (await parallelBfs(sys, null, { workers: 2, ...opts })).result;
      expect(r.verdict).toBe('holds');
      expect(r.stats.distinctStates).toBe(343);
    }
    const cut = (await parallelBfs(sys, null, { workers: 2, maxStates: 342 })).result;
    expect(cut.verdict).toBe('incomplete');
    expect(cut.incompleteReason).toMatch(/state limit/);
  });
});


describe('sharding a search of 2-word states', () => {
  it('split at the fan, each state below it belongs to exactly one shard: the shards store 3 x 129 + 128 states in all and 257 together', async () => {
    expect(new StateLayout(wideFan.fields).wordsPerState).toBe(2);
    const parts = await Promise.all([0, 1, 2].map((index) => parallelBfs(wideFan, null, { workers: 1, shard: { index, count: 3, depth: 1 } })));
    let stored = 0;
    const union = new Set<string>();
    for (const p of parts) {
      expect(p.result.verdict).toBe('holds');
      stored += p.result.stats.distinctStates;
      const fp = p.fingerprints();
      for (let j = 0; j < fp.length; j += 2) union.add(`${fp[j]}:${fp[j + 1]}`);
    }
    expect(stored).toBe(3 * 129 + 128);
    expect(union.size).toBe(1 + 128 + 128);
  });
});
