import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { check, replay, describeAction, exactSetFactory, ModelError, StateLayout, type Progress, type TransitionSystem } from '../../explorer/index.js';
import { SeededRandom } from '../../explorer/random.js';
import { counters } from '../fixtures/counters.js';
import { ticking } from './clock.js';

/**
 * Smaller contracts of the engine that a verdict or a report depends on: the PRNG that makes
 * simulation reproducible, how actions and failures are described, what a result carries, the
 * ordering rules of ample sets, and the stack and buffers at their growth points.
 */

describe('seeded random numbers', () => {
  it('SeededRandom is mulberry32: the reference sequence for seeds 1 and 42 (computed by an independent implementation)', () => {
    const a = new SeededRandom(1);
    expect([1, 2, 3, 4, 5].map(() => a.nextUint32())).toEqual([2693262067, 11749833, 2265367787, 4213581821, 4159151403]);
    const b = new SeededRandom(42);
    expect([1, 2, 3].map(() => b.nextUint32())).toEqual([2581720956, 1925393290, 3661312704]);
  });

  it('below(n) is floor(u / 2^32 * n) of the next 32-bit value: always in [0, n)', () => {
    const r = new SeededRandom(1);
    expect([10, 10, 10, 10, 10].map((n) => r.below(n))).toEqual([6, 0, 5, 9, 9]);
    const s = new SeededRandom(7);
    for (let i = 0; i < 1000; i++) {
      const v = s.below(3);
      expect(v === 0 || v === 1 || v === 2).toBe(true);
    }
  });
});

describe('describing actions', () => {
  const sys = counters(2, 3);
  it('thread:label, with #choice only when a choice was made', () => {
    expect(describeAction(sys, { thread: 1, label: 0, choice: 0 })).toBe('t1:inc0');
    expect(describeAction(sys, { thread: 0, label: 1, choice: 2 })).toBe('t0:inc1#2');
  });
  it('names ids the model does not declare instead of printing undefined', () => {
    expect(describeAction(sys, { thread: 5, label: 9, choice: 0 })).toBe('thread 5:label 9');
  });
});

describe('replay', () => {
  const sys = counters(2, 1);
  const t0 = { thread: 0, label: 0, choice: 0 };
  const t1 = { thread: 1, label: 1, choice: 0 };

  it('an action that was enabled one step earlier but not now is a divergence, not a step', () => {
    // After t1 the buffer still holds t1 past its end; it must not be found there.
    const rep = replay(sys, { initial: 0, steps: [{ index: 1, action: t1 }, { index: 1, action: t1 }] });
    expect(rep.divergence).toEqual({ step: 1, reason: 't1:inc1 is not enabled (enabled: t0:inc0)' });
    expect(rep.states.length).toBe(2);
  });

  it('a divergence in a state with nothing enabled says so', () => {
    const rep = replay(sys, { initial: 0, steps: [{ index: 0, action: t0 }, { index: 0, action: t1 }, { index: 0, action: t0 }] });
    expect(rep.divergence).toEqual({ step: 2, reason: 't0:inc0 is not enabled (no action is enabled)' });
  });

  it('initial-state indices: the last one is accepted, one past it and negative ones are divergences', () => {
    const two: TransitionSystem = { ...sys, initialStates: () => [Int32Array.of(0, 0), Int32Array.of(1, 0)] };
    expect(replay(two, { initial: 1, steps: [] }).states).toEqual([Int32Array.of(1, 0)]);
    expect(replay(two, { initial: 0, steps: [] }).states).toEqual([Int32Array.of(0, 0)]);
    expect(replay(two, { initial: 2, steps: [] }).divergence).toEqual({ step: 0, reason: 'the trace starts from initial state 2, the model has 2' });
    expect(replay(two, { initial: -1, steps: [] }).divergence).toEqual({ step: 0, reason: 'the trace starts from initial state -1, the model has 2' });
  });

  it('a broken initial state is a violation at step 0', () => {
    const bad = counters(1, 3, { limit: 0 });
    expect(replay(bad, { initial: 0, steps: [] }).violation).toEqual({ step: 0, kind: 'invariant', invariant: 'sum_below_limit', message: 'counters add up to 0' });
  });

  it('a trace ending in a deadlock is reported, unless deadlocks are not checked', () => {
    const stuck: TransitionSystem = { ...counters(1, 3), actions: (s, sink) => { if (s[0] < 1) sink.push(0, 0, 0); } };
    const trace = { initial: 0, steps: [{ index: 0, action: { thread: 0, label: 0, choice: 0 } }] };
    expect(replay(stuck, trace).violation).toEqual({ step: 1, kind: 'deadlock', invariant: 'deadlock', message: 'no thread can take a step, but t0 has not finished' });
    expect(replay(stuck, trace, { checkDeadlock: false }).violation).toBeUndefined();
    expect(replay(stuck, trace, {}).violation?.kind).toBe('deadlock');
  });

  it('a step failure is reported at the step, with the state it produced', () => {
    const failing: TransitionSystem = { ...counters(1, 3), apply: (_s, _a, next, ctx) => { next[0]++; ctx.fail('no_step', 'stepped'); } };
    const rep = replay(failing, { initial: 0, steps: [{ index: 0, action: { thread: 0, label: 0, choice: 0 } }] });
    expect(rep.violation).toEqual({ step: 1, kind: 'step', invariant: 'no_step', message: 'stepped' });
    expect(rep.states).toEqual([Int32Array.of(0), Int32Array.of(1)]);
  });
});

describe('step failures and results', () => {
  it('the first failure a step reports is the one recorded', () => {
    const sys: TransitionSystem = { ...counters(1, 3), apply: (_s, _a, next, ctx) => { next[0]++; ctx.fail('first', 'one'); ctx.fail('second', 'two'); } };
    const r = check(sys);
    expect(r.violation).toMatchObject({ kind: 'step', invariant: 'first', message: 'one' });
  });

  it('a step that fails only in some states is reported there, and steps after a failure-free step are clean', () => {
    const sys: TransitionSystem = { ...counters(1, 3), apply: (s, _a, next, ctx) => { next[0]++; if (s[0] === 2) ctx.fail('third', 'third step'); } };
    const r = check(sys);
    expect(r.violation!.trace.steps.length).toBe(3);
    expect(r.violation!.invariant).toBe('third');
  });

  it('a deadlock names the first thread that has not finished', () => {
    const sys: TransitionSystem = { ...counters(2, 2), actions: () => undefined, threadDone: (s, t) => t === 0 };
    expect(check(sys).violation!.message).toBe('no thread can take a step, but t1 has not finished');
  });

  it('a terminal property is checked only when every thread is done, and the first failing one is named', () => {
    const sys: TransitionSystem = {
      ...counters(1, 2),
      terminalProperties: [
        { name: 'fine', description: 'always', check: () => null },
        { name: 'ends_at_1', description: 'ends at 1', check: (s) => (s[0] !== 1 ? `ended at ${s[0]}` : null) },
        { name: 'never', description: 'never', check: () => 'also broken' },
      ],
    };
    const r = check(sys);
    expect(r.violation).toMatchObject({ kind: 'terminal', invariant: 'ends_at_1', message: 'ended at 2' });
    expect(r.violation!.trace.steps.length).toBe(2);
  });

  it('an action property sees the state before and after and is named with its message', () => {
    const sys: TransitionSystem = {
      ...counters(1, 3),
      actionProperties: [
        { name: 'fine', description: 'always', check: () => null },
        { name: 'no_jump_from_1', description: '1 -> 2 never', check: (b, a, n) => (b[0] === 1 && n[0] === 2 && a.thread === 0 ? 'went from 1 to 2' : null) },
      ],
    };
    const r = check(sys);
    expect(r.violation).toMatchObject({ kind: 'action', invariant: 'no_jump_from_1', message: 'went from 1 to 2' });
    expect(r.violation!.trace.steps.length).toBe(2);
  });

  it('the first failing invariant is the one named', () => {
    const sys: TransitionSystem = {
      ...counters(1, 3),
      invariants: [
        { name: 'fine', description: 'always', check: () => null },
        { name: 'below_2', description: 'x < 2', check: (s) => (s[0] >= 2 ? 'x >= 2' : null) },
        { name: 'below_1', description: 'x < 1 (checked after below_2)', check: (s) => (s[0] >= 1 && s[0] !== 1 ? 'x > 1' : null) },
      ],
    };
    expect(check(sys).violation).toMatchObject({ invariant: 'below_2', message: 'x >= 2' });
  });

  it('a result carries a reason only when incomplete, and a violation only when violated', () => {
    const holds = check(counters(1, 2));
    expect('incompleteReason' in holds).toBe(false);
    expect('violation' in holds).toBe(false);
    const bad = check(counters(1, 2, { limit: 1 }));
    expect('incompleteReason' in bad).toBe(false);
    expect(bad.violation).toBeDefined();
    expect('violation' in check(counters(1, 2), { maxDepth: 1 })).toBe(false);
  });

  it('stats: bytes of the exact set and the links counted by hand, a positive rate, depth', () => {
    const r = check(counters(1, 2), { visitedSet: exactSetFactory });
    // Keys "0,", "1,", "2,": 4 bytes + 40 each; one chunk of 65536 links at 5 bytes.
    expect(r.stats.visitedBytes).toBe(3 * 44 + 65536 * 5);
    expect(r.stats.maxDepth).toBe(2);
    // Three states in well under a second.
    expect(r.stats.statesPerSecond).toBeGreaterThan(3);
    expect(r.stats.elapsedMs).toBeGreaterThan(0);
  });

  it('coverage counts transitions per label', () => {
    expect(check(counters(2, 2)).coverage).toEqual([6, 6]);
    expect(check(counters(2, 2), { strategy: 'dfs' }).coverage).toEqual([6, 6]);
  });

  it('ModelError is an Error named ModelError', () => {
    const e = new ModelError('x');
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('ModelError');
  });
});

describe('maxStates counts initial states', () => {
  it('two initial states and maxStates 1: one stored, incomplete (bfs and dfs)', () => {
    const sys: TransitionSystem = { ...counters(1, 3), initialStates: () => [Int32Array.of(0), Int32Array.of(3)] };
    for (const strategy of ['bfs', 'dfs'] as const) {
      const r = check(sys, { strategy, maxStates: 1 });
      expect(r.verdict).toBe('incomplete');
      expect(r.stats.distinctStates).toBe(1);
      expect(check(sys, { strategy, maxStates: 4 }).verdict).toBe('holds');
      expect(check(sys, { strategy, maxStates: 3 }).verdict).toBe('incomplete');
    }
  });

  it('a repeated initial state is stored once', () => {
    const sys: TransitionSystem = { ...counters(1, 3), initialStates: () => [Int32Array.of(1), Int32Array.of(1)] };
    for (const strategy of ['bfs', 'dfs'] as const) expect(check(sys, { strategy }).stats.distinctStates).toBe(3);
  });
});

describe('a thread whose actions are only partly local is not an ample set', () => {
  /** t0 can take a global step g or a local step l (in that order); t1 a global step h. g after
   *  h fails. Taking t0 alone (because its later action is local) would never run h first. */
  const sys: TransitionSystem = {
    fields: [{ name: 't0pc', min: 0, max: 1 }, { name: 'shared', min: 0, max: 1 }, { name: 't1done', min: 0, max: 1 }],
    threads: ['t0', 't1'],
    labels: ['g', 'l', 'h'],
    initialStates: () => [new Int32Array(3)],
    actions(s, sink) {
      if (s[0] === 0) { sink.push(0, 0, 0); sink.push(0, 1, 0); }
      if (s[2] === 0) sink.push(1, 2, 0);
    },
    apply(s, a, next, ctx) {
      if (a.label === 0) { next[0] = 1; next[1] = 1; if (s[2] === 1) ctx.fail('g_before_h', 'g ran after h'); }
      else if (a.label === 1) next[0] = 1;
      else next[2] = 1;
    },
    threadDone: (s, t) => (t === 0 ? s[0] === 1 : s[2] === 1),
    invariants: [],
    // t0's step reads and writes its pc (l) or also the shared flag (g); t1 writes t1done and
    // reads nothing g writes, but g's check reads t1done: t0's step is visible to t1.
    stepFootprint: (s, t) => (t === 0 ? (s[0] === 0 ? { reads: [0, 2], writes: [0, 1] } : { reads: [], writes: [] }) : { reads: [2], writes: [2] }),
    futureFootprint: (s, t) => (t === 0 ? (s[0] === 0 ? { reads: [0, 2], writes: [0, 1] } : { reads: [], writes: [] }) : (s[2] === 0 ? { reads: [2], writes: [2] } : { reads: [], writes: [] })),
  };
  for (const strategy of ['bfs', 'dfs'] as const) {
    it(`the violation behind h-then-g is found with partialOrder (${strategy})`, () => {
      const r = check(sys, { strategy, partialOrder: true });
      expect(r.verdict).toBe('violated');
      expect(r.violation!.invariant).toBe('g_before_h');
    });
  }
});

describe('growth points', () => {
  it('DFS with more than 1024 states on its stack keeps them all', () => {
    const width = 1500;
    const sys: TransitionSystem = {
      fields: [{ name: 'x', min: 0, max: width }],
      threads: ['t'],
      labels: ['pick'],
      initialStates: () => [Int32Array.of(0)],
      actions: (s, sink) => { if (s[0] === 0) for (let c = 0; c < width; c++) sink.push(0, 0, c); },
      apply: (_s, a, next) => { next[0] = a.choice + 1; },
      threadDone: () => true,
      invariants: [{ name: 'not_first', description: 'x is never 1', check: (s) => (s[0] === 1 ? 'x is 1' : null) }],
    };
    const r = check({ ...sys, invariants: [] }, { strategy: 'dfs' });
    expect(r.stats.distinctStates).toBe(width + 1);
    expect(r.stats.transitions).toBe(width);
    const v = check(sys, { strategy: 'dfs' });
    expect(v.violation!.trace.steps.map((s) => s.index)).toEqual([0]);
  });

  it('pack writes only the words of its slot', () => {
    const layout = new StateLayout([{ name: 'a', min: 0, max: 0xffff }, { name: 'b', min: 0, max: 0x1ffff }]);
    const w = new Uint32Array(4).fill(0xffffffff);
    layout.pack(Int32Array.of(1, 2), w, 1);
    expect(Array.from(w)).toEqual([0xffffffff, 1, 2, 0xffffffff]);
  });
});

describe('more edges', () => {
  it('the cycle proviso expands the other threads once: transitions counted by hand', () => {
    // a: local toggle (ample); b: global toggle. (0,0) -a-> (1,0) -a-> (0,0) seen, so b -> (1,1);
    // (1,1) -a-> (0,1) -a-> (1,1) seen, so b -> (0,0) seen. 6 transitions, 4 states.
    const sys: TransitionSystem = {
      fields: [{ name: 'a', min: 0, max: 1 }, { name: 'b', min: 0, max: 1 }],
      threads: ['ta', 'tb'],
      labels: ['toggle_a', 'toggle_b'],
      initialStates: () => [new Int32Array(2)],
      actions: (_s, sink) => { sink.push(0, 0, 0); sink.push(1, 1, 0); },
      apply: (s, a, next) => { next[a.thread] = 1 - s[a.thread]; },
      threadDone: () => false,
      invariants: [],
      // Each thread toggles its own field for ever: independent, so ta alone is ample.
      stepFootprint: (_s, t) => ({ reads: [t], writes: [t] }),
      futureFootprint: (_s, t) => ({ reads: [t], writes: [t] }),
    };
    for (const strategy of ['bfs', 'dfs'] as const) {
      const r = check(sys, { strategy, partialOrder: true });
      expect(r.stats.distinctStates).toBe(4);
      expect(r.stats.transitions).toBe(6);
    }
  });

  it('DFS reports the deepest state it stored as maxDepth, not the last, and the depth-bound reason', () => {
    // 0 -> 1, 2; 2 -> 3 -> 4 (depth 3); 1 -> 5 (depth 2). DFS expands 2 first and pushes 5 last.
    const next: Record<number, number[]> = { 0: [1, 2], 1: [5], 2: [3], 3: [4] };
    const sys: TransitionSystem = {
      fields: [{ name: 'x', min: 0, max: 5 }],
      threads: ['t'],
      labels: ['go'],
      initialStates: () => [Int32Array.of(0)],
      actions: (s, sink) => { for (const to of next[s[0]] ?? []) sink.push(0, 0, to); },
      apply: (_s, a, n) => { n[0] = a.choice; },
      threadDone: () => true,
      invariants: [],
    };
    expect(check(sys, { strategy: 'dfs' }).stats.maxDepth).toBe(3);
    expect(check(sys, { strategy: 'bfs' }).stats.maxDepth).toBe(3);
    const cut = check(sys, { strategy: 'dfs', maxDepth: 1 });
    expect(cut.incompleteReason).toBe('depth bound 1 reached: states at that depth have successors that were not explored');
  });

  it('simulation reports the longest walk as maxDepth, whichever walk came last', () => {
    // From initial state 0 a walk takes 5 steps, from initial state 4 one.
    const sys: TransitionSystem = { ...counters(1, 5), initialStates: () => [Int32Array.of(0), Int32Array.of(4)] };
    for (const seed of [1, 2, 3, 4, 5, 6]) expect(check(sys, { strategy: 'simulate', walks: 9, seed }).stats.maxDepth).toBe(5);
  });

  it('simulation stops at maxStates exactly: 4 states seen by the first walk, maxStates 4', () => {
    const r = check(counters(1, 3), { strategy: 'simulate', maxStates: 4, walks: 10 });
    expect(r.incompleteReason).toBe('state limit reached: 4 distinct states stored and more remain unexplored');
    expect(check(counters(1, 3), { strategy: 'simulate', maxStates: 5, walks: 10 }).incompleteReason).toMatch(/^random simulation: 10 walks/);
  });

  it('replay: a step writing below a field\'s range is a ModelError; a trace that stops early is no violation', () => {
    const sys: TransitionSystem = { ...counters(1, 3), apply: (_s, _a, next) => { next[0] = -1; } };
    const step = { index: 0, action: { thread: 0, label: 0, choice: 0 } };
    expect(() => replay(sys, { initial: 0, steps: [step] })).toThrow('field counter[0] = -1 is outside its declared range [0, 3]');
    const rep = replay(counters(1, 3), { initial: 0, steps: [step] });
    expect(rep.violation).toBeUndefined();
    expect(rep.divergence).toBeUndefined();
    expect(rep.states).toEqual([Int32Array.of(0), Int32Array.of(1)]);
  });

  it('symmetry also merges initial states of one orbit', () => {
    const sys: TransitionSystem = { ...counters(2, 1, { symmetric: true }), initialStates: () => [Int32Array.of(0, 1), Int32Array.of(1, 0)] };
    // Orbits: {01, 10} and {11}.
    expect(check(sys, { symmetry: true }).stats.distinctStates).toBe(2);
    expect(check(sys, { symmetry: true, strategy: 'dfs' }).stats.distinctStates).toBe(2);
    expect(check(sys, { symmetry: false }).stats.distinctStates).toBe(3);
  });

  it('statesPerSecond is distinct states per second of elapsed time', () => {
    const r = check(counters(2, 3));
    expect((r.stats.statesPerSecond * r.stats.elapsedMs) / 1000).toBeCloseTo(16, 6);
  });
});

describe('depth and progress figures', () => {
  it('DFS maxDepth on a chain of 5 steps is 5', () => {
    expect(check(counters(1, 5), { strategy: 'dfs' }).stats.maxDepth).toBe(5);
    expect(check(counters(2, 3), { strategy: 'dfs' }).stats.maxDepth).toBe(6);
  });

  it('progress reports carry consistent figures: queued within the states found, depth within the run\'s', () => {
    // performance.now() is faked and moved by each step (ticking): exact, and instant.
    vi.useFakeTimers({ toFake: ['performance'] });
    vi.advanceTimersByTime(1_000_000); // far from 0: a start time subtracted or added tells
    onTestFinished(() => { vi.useRealTimers(); });
    const seen: Progress[] = [];
    const r = check(ticking(counters(6, 20)), { timeLimitMs: 700, onProgress: (p) => seen.push(p) });
    expect(seen.length).toBeGreaterThanOrEqual(1);
    for (const p of seen) {
      expect(p.queued).toBeGreaterThan(0);
      expect(p.queued).toBeLessThanOrEqual(p.distinctStates);
      expect(p.depth).toBeGreaterThan(0);
      expect(p.depth).toBeLessThanOrEqual(r.stats.maxDepth);
      expect(p.transitions).toBeGreaterThanOrEqual(p.distinctStates - 1);
      expect(p.elapsedMs).toBeGreaterThanOrEqual(500);
      expect(p.elapsedMs).toBeLessThanOrEqual(r.stats.elapsedMs);
    }
  });
});
