import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { check, checkParallel, replay, type TransitionSystem } from '../../explorer/index.js';
import { parallelBfs } from '../../explorer/parallel/index.js';
import { counters } from '../fixtures/counters.js';
import { peterson } from '../fixtures/peterson.js';
import { philosophers } from '../fixtures/philosophers.js';
import { lockWorkers } from '../fixtures/lock-workers.js';
import { randomSystem, type RandomSpec } from '../fixtures/random-system.js';
import { confirmsViolation, referenceExplore } from '../explorer/reference.js';
import { runs } from '../fuzz-runs.js';

// The level-synchronous search with several workers taking turns chunk by chunk in this thread
// (the same claims, shared table and merging as worker threads, deterministically), against
// the single-threaded engine and the naive reference explorer.

// parallelBfs is the safety search without partial-order reduction (checkParallel leaves a
// model with declared footprints to check()), so the single-threaded side runs without it too.
async function both(sys: TransitionSystem, workers: number, tableSlots?: number) {
  const single = check(sys, { partialOrder: false, checkProgress: false });
  const par = (await parallelBfs(sys, null, { workers, partialOrder: false, ...(tableSlots ? { tableSlots } : {}) })).result;
  return { single, par };
}

const fixtures: [string, () => TransitionSystem][] = [
  ['counters 3x6', () => counters(3, 6)],
  ['counters 4x9 (grows the table mid-level)', () => counters(4, 9)],
  ['counters with a reachable bad sum', () => counters(3, 5, { limit: 9 })],
  ['peterson', () => peterson()],
  ['broken peterson', () => peterson({ broken: true })],
  ['philosophers (deadlock)', () => philosophers(4)],
  ['ordered philosophers', () => philosophers(4, { ordered: true })],
  ['lock workers', () => lockWorkers(3, 2)],
  ['broken lock workers', () => lockWorkers(3, 2, { broken: true })],
];

describe('parallel BFS (workers in one thread)', () => {
  for (const [name, make] of fixtures) {
    it(`${name}: same verdict, violated invariant and trace length as the single-threaded search; same states, transitions and depth when it holds`, async () => {
      const sys = make();
      for (const workers of [1, 3]) {
        const { single, par } = await both(sys, workers, 4096);
        expect(par.verdict).toBe(single.verdict);
        if (single.verdict === 'holds') {
          expect(par.stats.distinctStates).toBe(single.stats.distinctStates);
          expect(par.stats.transitions).toBe(single.stats.transitions);
          expect(par.stats.maxDepth).toBe(single.stats.maxDepth);
          expect(par.coverage).toEqual(single.coverage);
        }
        if (single.violation) {
          expect(par.violation!.kind).toBe(single.violation.kind);
          expect(par.violation!.invariant).toBe(single.violation.invariant);
          expect(par.violation!.trace.steps.length).toBe(single.violation.trace.steps.length);
          expect(confirmsViolation(sys, par.violation!)).toBe(true);
        }
      }
    });
  }

  it('counts 10^4 counter states exactly when the table starts at 4096 slots and must grow between rounds', async () => {
    const r = (await parallelBfs(counters(4, 9), null, { workers: 2, tableSlots: 4096 })).result;
    expect(r.verdict).toBe('holds');
    expect(r.stats.distinctStates).toBe(10 ** 4);
    expect(r.stats.transitions).toBe(4 * 9 * 10 ** 3);
  });

  it('a state bound gives incomplete, a depth bound gives incomplete, as in the single-threaded search', async () => {
    const sys = counters(3, 6);
    const s = (await parallelBfs(sys, null, { workers: 2, maxStates: 100 })).result;
    expect(s.verdict).toBe('incomplete');
    expect(s.incompleteReason).toMatch(/state limit/);
    const d = (await parallelBfs(sys, null, { workers: 2, maxDepth: 4 })).result;
    expect(d.verdict).toBe('incomplete');
    expect(d.incompleteReason).toMatch(/depth bound 4/);
    expect(d.stats.distinctStates).toBe(check(sys, { maxDepth: 4 }).stats.distinctStates);
  });

  it('a time limit gives incomplete with the time-limit reason', async () => {
    const r = (await parallelBfs(counters(5, 9), null, { workers: 2, timeLimitMs: 1 })).result;
    expect(r.verdict).toBe('incomplete');
    expect(r.incompleteReason).toMatch(/time limit of 1 ms/);
  });

  it('on random systems: the verdict and shortest trace length of the reference explorer, a trace that replays to the violation, the reference state count when it holds', async () => {
    const spec: fc.Arbitrary<RandomSpec> = fc
      .record({ nodes: fc.integer({ min: 1, max: 14 }), threads: fc.integer({ min: 1, max: 3 }) })
      .chain(({ nodes, threads }) => fc.record({
        nodes: fc.constant(nodes),
        threads: fc.constant(threads),
        edges: fc.array(fc.record({
          from: fc.nat(nodes - 1), to: fc.nat(nodes - 1), thread: fc.nat(threads - 1), bump: fc.nat(3), fails: fc.boolean(),
        }), { maxLength: 3 * nodes }),
        bad: fc.uniqueArray(fc.nat(nodes * 4 - 1), { maxLength: 3 }),
        done: fc.uniqueArray(fc.nat(nodes - 1), { maxLength: nodes }),
        initial: fc.uniqueArray(fc.nat(nodes - 1), { minLength: 1, maxLength: 2 }),
      }));
    await fc.assert(
      fc.asyncProperty(spec, fc.integer({ min: 1, max: 4 }), async (sp, workers) => {
        const sys = randomSystem(sp);
        const ref = referenceExplore(sys);
        const r = (await parallelBfs(sys, null, { workers })).result;
        expect(r.verdict).toBe(ref.shortestViolation >= 0 ? 'violated' : 'holds');
        if (r.violation) {
          expect(r.violation.trace.steps.length).toBe(ref.shortestViolation);
          expect(confirmsViolation(sys, r.violation)).toBe(true);
          expect(replay(sys, r.violation.trace).violation?.kind).toBe(r.violation.kind);
        } else {
          expect(r.stats.distinctStates).toBe(ref.states.size);
        }
      }),
      { numRuns: runs(200) },
    );
  });
});

describe('checkParallel', () => {
  // A ref no thread could load: the cases below must never start a thread.
  const unloadable = { module: 'file:///nonexistent/module.js', export: 'none', args: [] };

  it('runs DFS, simulation, partial-order reduction and one worker as check does, without threads', async () => {
    const sys = philosophers(3);
    for (const o of [{ strategy: 'dfs' as const }, { strategy: 'simulate' as const, seed: 3 }, {}]) {
      const r = await checkParallel(sys, unloadable, { ...o, workers: o.strategy === undefined ? 1 : 2 });
      const c = check(sys, o);
      expect(r.verdict).toBe(c.verdict);
      expect(r.stats.distinctStates).toBe(c.stats.distinctStates);
      expect(r.violation?.trace).toEqual(c.violation?.trace);
    }
    const por = { ...counters(3, 3), isLocal: () => true };
    const r = await checkParallel(por, unloadable, { workers: 2, partialOrder: true });
    expect(r.stats.distinctStates).toBe(check(por, { partialOrder: true }).stats.distinctStates);
  });
});

describe('sharding one search', () => {
  it('the shards of counters 4x9 split at depth 6 together visit exactly the 10^4 states, each fewer', async () => {
    const sys = counters(4, 9);
    const parts = [];
    for (let index = 0; index < 3; index++) parts.push(await parallelBfs(sys, null, { workers: 1, shard: { index, count: 3, depth: 6 } }));
    const union = new Set<string>();
    for (const p of parts) {
      expect(p.shardDepth).toBe(6);
      expect(p.result.verdict).toBe('holds');
      expect(p.result.stats.distinctStates).toBeLessThan(10 ** 4);
      const fp = p.fingerprints();
      for (let j = 0; j < fp.length; j += 2) union.add(`${fp[j]}:${fp[j + 1]}`);
    }
    expect(union.size).toBe(10 ** 4);
  });

  it('a violation reachable only through one shard is found by that shard alone, with the unsharded trace length', async () => {
    const sys = counters(3, 5, { limit: 12 });
    const whole = check(sys);
    expect(whole.verdict).toBe('violated');
    const verdicts = [];
    for (let index = 0; index < 4; index++) {
      const r = (await parallelBfs(sys, null, { workers: 1, shard: { index, count: 4, depth: 3 } })).result;
      verdicts.push(r.verdict);
      if (r.violation) expect(r.violation.trace.steps.length).toBe(whole.violation!.trace.steps.length);
    }
    expect(verdicts).toContain('violated');
  });
});
