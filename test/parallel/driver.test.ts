import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { check, fingerprint, fingerprintOut, StateLayout, type TransitionSystem } from '../../explorer/index.js';
import { availableParallelism } from 'node:os';
import { defaultWorkers, parallelBfs, SHARD_MIN_STATES } from '../../explorer/parallel/index.js';
import { counters } from '../fixtures/counters.js';
import { wideFan } from '../fixtures/wide-fan.js';
import { confirmsViolation, referenceExplore } from '../explorer/reference.js';

// The parallel search's driver (parallelBfs) with its workers in this thread: the first
// level, when threads are (not) started, progress reports and the shard split, against the
// single-threaded search, the naive reference explorer and hand counts.

/** Three 20-bit counters (3 words a state) stepping by 1000 up to 3000, from three initial
 *  states; with `bad`, the state (3000, 3000, 500) breaks an invariant (reachable only from
 *  the third initial state). */
function wideStarts(bad = false): TransitionSystem {
  const WIDE = 1 << 20;
  return {
    fields: [0, 1, 2].map((i) => ({ name: `c${i}`, min: 0, max: WIDE })),
    threads: ['t0', 't1', 't2'],
    labels: ['add'],
    initialStates: () => [Int32Array.of(0, 0, 0), Int32Array.of(0, 0, 0), Int32Array.of(1000, 0, 0), Int32Array.of(0, 0, 500)],
    actions(s, sink) {
      for (let t = 0; t < 3; t++) if (s[t] + 1000 <= 3000 + (t === 2 ? 500 : 0)) sink.push(t, 0, 0);
    },
    apply(_s, a, next) {
      next[a.thread] += 1000;
    },
    threadDone: () => true,
    invariants: bad ? [{ name: 'not_there', description: 'never (3000, 3000, 500)', check: (s) => (s[0] === 3000 && s[1] === 3000 && s[2] === 500 ? 'there' : null) }] : [],
  };
}

/** x counts down from `from` to 0; x = 0 is a deadlock (no step, not done). */
function countdown(from: number): TransitionSystem {
  return {
    fields: [{ name: 'x', min: 0, max: from }],
    threads: ['t'],
    labels: ['down'],
    initialStates: () => [Int32Array.of(from)],
    actions(s, sink) {
      if (s[0] > 0) sink.push(0, 0, 0);
    },
    apply(_s, _a, next) {
      next[0]--;
    },
    threadDone: () => false,
    invariants: [],
  };
}

describe('parallel BFS driver: the first level', () => {
  it('several initial states of 3 words (one a duplicate): the states and transitions of check() when it holds, its trace length and a real trace when violated, for 1 and 3 workers', async () => {
    expect(new StateLayout(wideStarts().fields).wordsPerState).toBe(3);
    const holds = check(wideStarts(), { partialOrder: false, checkProgress: false });
    const ref = referenceExplore(wideStarts());
    expect(holds.stats.distinctStates).toBe(ref.states.size);
    const sys = wideStarts(true);
    const violated = check(sys, { partialOrder: false, checkProgress: false });
    expect(violated.verdict).toBe('violated');
    for (const workers of [1, 3]) {
      const h = (await parallelBfs(wideStarts(), null, { workers })).result;
      expect(h.verdict).toBe('holds');
      expect(h.stats.distinctStates).toBe(holds.stats.distinctStates);
      expect(h.stats.transitions).toBe(holds.stats.transitions);
      const v = (await parallelBfs(sys, null, { workers })).result;
      expect(v.verdict).toBe('violated');
      expect(v.violation!.trace.steps.length).toBe(violated.violation!.trace.steps.length);
      expect(v.violation!.trace.initial).toBe(violated.violation!.trace.initial);
      expect(confirmsViolation(sys, v.violation!)).toBe(true);
    }
  });
});

describe('parallel BFS driver: workers', () => {
  it('by default as many workers as the machine runs threads at once; a search without a worker count runs them and counts counters 3x6 exactly', async () => {
    expect(defaultWorkers()).toBe(availableParallelism());
    const r = (await parallelBfs(counters(3, 6), null)).result;
    expect(r.verdict).toBe('holds');
    expect(r.stats.distinctStates).toBe(7 ** 3);
  });

  it('the shared table is a fingerprint table: the collision estimate of check() for the same count, and at least its 8 bytes a slot in the visited bytes', async () => {
    const r = (await parallelBfs(counters(3, 6), null, { workers: 2, tableSlots: 4096 })).result;
    const c = check(counters(3, 6), { partialOrder: false, checkProgress: false });
    expect(c.stats.collisionProbability).toBeGreaterThan(0);
    expect(r.stats.collisionProbability).toBe(c.stats.collisionProbability);
    expect(r.stats.visitedBytes).toBeGreaterThanOrEqual(4096 * 8);
  });
});

describe('parallel BFS driver: when threads start', () => {
  // A ref no thread can load: under vitest the worker script does not exist either, so any
  // attempt to start a thread ends in an error naming it.
  const unloadable = { module: 'file:///nonexistent/system.js', export: 'none', args: [] };

  it('without a ref, or with one worker, no thread is started even with sequentialStates 0: the exact counts of counters 3x6', async () => {
    for (const [ref, workers] of [[null, 2], [null, 3], [unloadable, 1]] as const) {
      const r = (await parallelBfs(counters(3, 6), ref, { workers, sequentialStates: 0 })).result;
      expect(r.verdict).toBe('holds');
      expect(r.stats.distinctStates).toBe(7 ** 3);
      expect(r.stats.transitions).toBe(3 * 6 * 7 ** 2);
    }
  });

  it('threads that fail to start once the warm-up has stored sequentialStates states are an error naming what failed to load, not a verdict', async () => {
    // A chain far longer than a thread takes to fail (tens of ms), and a time limit in case.
    const failed = parallelBfs(countdown(1 << 30), unloadable, { workers: 2, sequentialStates: 10, timeLimitMs: 60_000 });
    // An Error, not just any rejection (rejects.toThrow also passes on a rejected null).
    await expect(failed).rejects.toBeInstanceOf(Error);
    await expect(failed).rejects.toThrow(/worker\.js/);
  });
});

describe('parallel BFS driver: progress', () => {
  // The clock (performance.now) is faked: each step moves it on by 100 ms, at once.
  // The faked clock starts far from 0, so a start time subtracted or added tells.
  beforeEach(() => { vi.useFakeTimers({ toFake: ['performance'] }); vi.advanceTimersByTime(1_000_000); });
  afterEach(() => { vi.useRealTimers(); });

  /** A chain of 8 steps, each taking 100 ms. */
  const slow: TransitionSystem = {
    ...countdown(8),
    apply(_s, _a, next) {
      vi.advanceTimersByTime(100);
      next[0]--;
    },
    threadDone: (s) => s[0] === 0,
  };

  it('a search of 0.8 s reports progress at most twice a second, with the states, transitions, queue and depth at the level it reports', async () => {
    const seen: { distinctStates: number; transitions: number; queued: number; depth: number; elapsedMs: number }[] = [];
    const r = (await parallelBfs(slow, null, { workers: 2, onProgress: (p) => seen.push({ ...p }) })).result;
    expect(r.verdict).toBe('holds');
    expect(r.stats.distinctStates).toBe(9);
    expect(seen.length).toBeGreaterThanOrEqual(1);
    expect(seen.length).toBeLessThanOrEqual(2);
    for (const p of seen) {
      // After level d - 1 is expanded: states of levels 0..d, d transitions, one state queued.
      expect(p.depth).toBeGreaterThanOrEqual(5);
      expect(p.distinctStates).toBe(p.depth + 1);
      expect(p.transitions).toBe(p.depth);
      expect(p.queued).toBe(p.depth < 8 ? 1 : 0);
      expect(p.elapsedMs).toBeGreaterThanOrEqual(450);
    }
    // Without a progress callback the same search runs to the same end.
    expect((await parallelBfs(slow, null, { workers: 2 })).result.stats.distinctStates).toBe(9);
  });
});

describe('parallel BFS driver: the shard split', () => {
  it(`without a shard depth, a level of exactly ${SHARD_MIN_STATES} states per shard is where one shard splits: depth 63 of counters 2x70 (d + 1 states at depth d)`, async () => {
    const p = await parallelBfs(counters(2, 70), null, { workers: 1, shard: { index: 0, count: 1 } });
    expect(p.shardDepth).toBe(63);
    expect(p.result.stats.distinctStates).toBe(71 ** 2);
  });

  it('a frontier state belongs to the shard its fingerprint\'s high word falls to: 128 states of 2 words over 3 shards', async () => {
    const layout = new StateLayout(wideFan.fields);
    expect(layout.wordsPerState).toBe(2);
    const owner = new Map<string, number>();
    const packed = new Uint32Array(2);
    // Every level-1 state is stored before the split; its successor (2, x, 1000x) only by the
    // shard that owns it.
    for (let x = 0; x < 128; x++) {
      layout.pack(Int32Array.of(1, x, 1000 * x), packed, 0);
      fingerprint(packed, 0, 2);
      const shard = fingerprintOut[0] % 3;
      layout.pack(Int32Array.of(2, x, 1000 * x), packed, 0);
      fingerprint(packed, 0, 2);
      owner.set(`${fingerprintOut[0]},${fingerprintOut[1]}`, shard);
    }
    const sizes = [0, 0, 0];
    for (let index = 0; index < 3; index++) {
      const fp = (await parallelBfs(wideFan, null, { workers: 1, shard: { index, count: 3, depth: 1 } })).fingerprints();
      const mine = new Set<string>();
      for (let j = 0; j < fp.length; j += 2) mine.add(`${fp[j]},${fp[j + 1]}`);
      for (const [key, o] of owner) expect(mine.has(key)).toBe(o === index);
      sizes[index] = [...owner.values()].filter((o) => o === index).length;
    }
    expect(sizes.reduce((a, b) => a + b)).toBe(128);
    expect(Math.min(...sizes)).toBeGreaterThan(0);
  });

  it('a deadlock below the split is found by the one shard that owns its chain, with the unsharded trace length; the other shard holds', async () => {
    const sys = countdown(10);
    const whole = check(sys, { checkProgress: false });
    expect(whole.violation!.kind).toBe('deadlock');
    expect(whole.violation!.trace.steps.length).toBe(10);
    const verdicts: string[] = [];
    for (let index = 0; index < 2; index++) {
      const r = (await parallelBfs(sys, null, { workers: 1, shard: { index, count: 2, depth: 3 } })).result;
      verdicts.push(r.verdict);
      if (r.violation) expect(r.violation.trace).toEqual(whole.violation!.trace);
      else expect(r.stats.distinctStates).toBe(4);
    }
    expect(verdicts.sort()).toEqual(['holds', 'violated']);
  });
});
