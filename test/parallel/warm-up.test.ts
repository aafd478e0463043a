import { describe, expect, it } from 'vitest';
import { check, type TransitionSystem } from '../../explorer/index.js';
import { parallelBfs, threadsAvailable } from '../../explorer/parallel/index.js';
import { counters } from '../fixtures/counters.js';
import { philosophers } from '../fixtures/philosophers.js';
import { peterson } from '../fixtures/peterson.js';
import { confirmsViolation } from '../explorer/reference.js';

// With a SystemRef and several workers, parallelBfs first searches in this thread (the warm-up
// expander, lane 0) and starts threads only once `sequentialStates` states are stored. Under
// vitest the compiled worker script does not exist, so a search that needs threads fails to
// start them: that must be an error, never a verdict.
const ref = { module: 'file:///nonexistent/system.js', export: 'none', args: [] };

describe.skipIf(threadsAvailable())('parallel BFS before its threads start (the warm-up in this thread)', () => {
  const fixtures: [string, TransitionSystem][] = [
    ['counters 3x6', counters(3, 6)],
    ['counters with a reachable bad sum', counters(3, 5, { limit: 9 })],
    ['philosophers (deadlock)', philosophers(4)],
    ['broken peterson', peterson({ broken: true })],
  ];
  for (const [name, sys] of fixtures) {
    it(`${name}: a search that ends before any thread is needed gives the single-threaded verdict and trace length; its states, transitions and depth when it holds`, async () => {
      const single = check(sys, { partialOrder: false, checkProgress: false });
      const par = (await parallelBfs(sys, ref, { workers: 2 })).result;
      expect(par.verdict).toBe(single.verdict);
      if (single.verdict === 'holds') {
        expect(par.stats.distinctStates).toBe(single.stats.distinctStates);
        expect(par.stats.transitions).toBe(single.stats.transitions);
        expect(par.stats.maxDepth).toBe(single.stats.maxDepth);
        expect(par.coverage).toEqual(single.coverage);
      } else {
        expect(par.violation!.invariant).toBe(single.violation!.invariant);
        expect(par.violation!.trace.steps.length).toBe(single.violation!.trace.steps.length);
        expect(confirmsViolation(sys, par.violation!)).toBe(true);
      }
    });
  }

  it('threads that cannot start from the first level are an error naming what failed to load, not a verdict', async () => {
    const failed = parallelBfs(counters(3, 6), ref, { workers: 2, sequentialStates: 0 });
    // An Error, not just any rejection (rejects.toThrow also passes on a rejected null).
    await expect(failed).rejects.toBeInstanceOf(Error);
    await expect(failed).rejects.toThrow(/worker\.js/);
  });

  it('more workers than the shared table has lanes is a RangeError', async () => {
    const failed = parallelBfs(counters(2, 2), null, { workers: 64 });
    // An Error, not just any rejection (rejects.toThrow also passes on a rejected null).
    await expect(failed).rejects.toBeInstanceOf(Error);
    await expect(failed).rejects.toThrow('at most 63 workers');
    expect((await parallelBfs(counters(2, 2), null, { workers: 63 })).result.stats.distinctStates).toBe(9);
  });
});

describe('parallel BFS: the first level and the automatic shard depth', () => {
  it('maxStates below the number of initial states is incomplete with the state-limit reason', async () => {
    const two: TransitionSystem = { ...counters(2, 2), initialStates: () => [Int32Array.of(0, 0), Int32Array.of(1, 0)] };
    const r = (await parallelBfs(two, null, { workers: 2, maxStates: 1 })).result;
    expect(r.verdict).toBe('incomplete');
    expect(r.incompleteReason).toMatch(/state limit/);
    expect(r.stats.distinctStates).toBe(1);
    // A bound of exactly the 9 reachable states holds, as in check().
    expect(check(two, { maxStates: 9, checkProgress: false }).verdict).toBe('holds');
    expect((await parallelBfs(two, null, { workers: 2, maxStates: 9 })).result.verdict).toBe('holds');
  });

  it('without a shard depth, the split comes at the first level of at least 64 states per shard: depth 8 of counters 4x9 (C(d+3, 3) states at depth d <= 9), and the shards cover all 10^4 states', async () => {
    const parts = await Promise.all([0, 1].map((index) => parallelBfs(counters(4, 9), null, { workers: 1, shard: { index, count: 2 } })));
    const union = new Set<string>();
    for (const p of parts) {
      expect(p.shardDepth).toBe(8);
      const fp = p.fingerprints();
      for (let j = 0; j < fp.length; j += 2) union.add(`${fp[j]}:${fp[j + 1]}`);
    }
    expect(union.size).toBe(10 ** 4);
  });
});
