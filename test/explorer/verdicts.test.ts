import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { check, replay, exactSetFactory, type TransitionSystem } from '../../explorer/index.js';
import { counters } from '../fixtures/counters.js';
import { confirmsViolation, referenceExplore } from './reference.js';

/**
 * Verdict edges: a checker that drops a violation it found, or reports `holds` where it did not
 * look, must fail here. Every fixture is small and its answer counted by hand.
 */

/** One thread choosing `choices` times among `width` options (choice i writes i+1 into the
 *  next slot); the invariant fails when every slot holds `width` (the last option each time).
 *  The thread is done after its last choice. A walk hits the violation with probability
 *  width^-choices. */
function dice(width: number, choices: number): TransitionSystem {
  return {
    fields: [{ name: 'pc', min: 0, max: choices }, ...Array.from({ length: choices }, (_, i) => ({ name: `roll[${i}]`, min: 0, max: width }))],
    threads: ['roller'],
    labels: ['roll'],
    initialStates: () => [new Int32Array(choices + 1)],
    actions(s, sink) {
      if (s[0] < choices) for (let c = 0; c < width; c++) sink.push(0, 0, c);
    },
    apply(s, a, next) {
      next[1 + s[0]] = a.choice + 1;
      next[0] = s[0] + 1;
    },
    threadDone: (s) => s[0] === choices,
    invariants: [{
      name: 'not_all_max',
      description: 'not every roll is the highest',
      check: (s) => {
        for (let i = 1; i <= choices; i++) if (s[i] !== width) return null;
        return 'every roll is the highest';
      },
    }],
  };
}

/** Level 1: `width` states (x = 1..width) reached by one choice each from x = 0; level 2: each
 *  steps once more (y = 1). `bad(x)` marks the level-2 states that break the invariant;
 *  `slow(x)` makes the invariant check of that level-2 state take `slowMs` of a faked clock. `deadEnd(x)`:
 *  level-1 state x has no step (a deadlock: the thread is only done at y = 1). */
function twoLevels(width: number, opts: { bad?: (x: number) => boolean; slow?: (x: number) => boolean; slowMs?: number; deadEnd?: (x: number) => boolean } = {}): TransitionSystem {
  const bad = opts.bad ?? (() => false);
  const slow = opts.slow ?? (() => false);
  const deadEnd = opts.deadEnd ?? (() => false);
  return {
    fields: [{ name: 'x', min: 0, max: width }, { name: 'y', min: 0, max: 1 }],
    threads: ['t'],
    labels: ['pick', 'step'],
    initialStates: () => [new Int32Array(2)],
    actions(s, sink) {
      if (s[0] === 0) for (let c = 0; c < width; c++) sink.push(0, 0, c);
      else if (s[1] === 0 && !deadEnd(s[0])) sink.push(0, 1, 0);
    },
    apply(s, a, next) {
      if (a.label === 0) next[0] = a.choice + 1;
      else next[1] = 1;
    },
    threadDone: (s) => s[1] === 1,
    invariants: [{
      name: 'not_bad',
      description: 'the level-2 state is not a bad one',
      check: (s) => {
        if (s[1] !== 1) return null;
        // The time limit runs out during this check (the tests using it fake the clock).
        if (slow(s[0])) vi.advanceTimersByTime(opts.slowMs ?? 0);
        return bad(s[0]) ? `x = ${s[0]} is bad` : null;
      },
    }],
  };
}

describe('simulation finds violations that are easy to reach', () => {
  it('a violation on every path at depth 2 is found, with a 2-step trace that replays to it', () => {
    const sys = counters(2, 3, { limit: 2 });
    const r = check(sys, { strategy: 'simulate', walks: 5 });
    expect(r.verdict).toBe('violated');
    expect(r.violation!.invariant).toBe('sum_below_limit');
    expect(r.violation!.trace.steps.length).toBe(2);
    expect(confirmsViolation(sys, r.violation!)).toBe(true);
  });

  for (const seed of [1, 2, 3, 42, 2026]) {
    it(`a violation reached by 1 walk in 16 is found by 1000 walks (miss probability 1e-28), seed ${seed}`, () => {
      const sys = dice(4, 2);
      const r = check(sys, { strategy: 'simulate', seed });
      expect(r.verdict).toBe('violated');
      expect(r.violation!.trace.steps.map((s) => s.action.choice)).toEqual([3, 3]);
      expect(replay(sys, r.violation!.trace).violation?.invariant).toBe('not_all_max');
    });
  }

  it('walks pick among all enabled actions and all initial states: every reachable state is seen', () => {
    // The second initial state (first roll 0) is not reachable from the first (rolls are 1..3).
    const sys: TransitionSystem = { ...dice(3, 2), initialStates: () => [new Int32Array(3), Int32Array.of(1, 0, 0)] };
    const r = check({ ...sys, invariants: [] }, { strategy: 'simulate', walks: 400, visitedSet: exactSetFactory });
    expect(r.verdict).toBe('incomplete');
    // 1 + 3 + 9 from the first initial state, 1 + 3 from the second.
    expect(r.stats.distinctStates).toBe(referenceExplore({ ...sys, invariants: [] }).states.size);
    expect(r.stats.distinctStates).toBe(13 + 4);
  });

  it('a violation only reachable from the second initial state is found, with that initial state in the trace', () => {
    const sys: TransitionSystem = { ...counters(1, 3, { limit: 3 }), initialStates: () => [Int32Array.of(0), Int32Array.of(2)] };
    const r = check(sys, { strategy: 'simulate', walks: 50, walkDepth: 1 });
    expect(r.verdict).toBe('violated');
    expect(r.violation!.trace).toEqual({ initial: 1, steps: [{ index: 0, action: { thread: 0, label: 0, choice: 0 } }] });
  });

  it('a broken initial state is reported with an empty trace, by every strategy', () => {
    const sys: TransitionSystem = { ...counters(1, 3, { limit: 2 }), initialStates: () => [Int32Array.of(0), Int32Array.of(2)] };
    for (const strategy of ['bfs', 'dfs', 'simulate'] as const) {
      const r = check(sys, { strategy });
      expect(r.verdict, strategy).toBe('violated');
      expect(r.violation!.trace).toEqual({ initial: 1, steps: [] });
    }
  });

  it('a model with no initial state holds vacuously, by every strategy', () => {
    const sys: TransitionSystem = { ...counters(1, 3, { limit: 0 }), initialStates: () => [] };
    for (const strategy of ['bfs', 'dfs', 'simulate'] as const) {
      const r = check(sys, { strategy });
      expect(r.verdict, strategy).toBe('holds');
      expect(r.stats.distinctStates).toBe(0);
    }
  });

  it('each kind of violation is found by simulation and replays: step failure, action property, deadlock, terminal property', () => {
    const base = counters(1, 2);
    const stepFails: TransitionSystem = { ...base, apply: (s, a, next, ctx) => { next[0]++; if (s[0] === 1) ctx.fail('no_second_step', 'second step taken'); } };
    const actionProp: TransitionSystem = { ...base, actionProperties: [{ name: 'small_steps', description: 'never reach 2', check: (_b, _a, after) => (after[0] === 2 ? 'reached 2' : null) }] };
    const deadlock: TransitionSystem = { ...base, actions: (s, sink) => { if (s[0] < 1) sink.push(0, 0, 0); } };
    const terminal: TransitionSystem = { ...base, terminalProperties: [{ name: 'ends_low', description: 'ends below 2', check: (s) => (s[0] >= 2 ? 'ended at 2' : null) }] };
    const cases = [[stepFails, 'step', 'no_second_step', 2], [actionProp, 'action', 'small_steps', 2], [deadlock, 'deadlock', 'deadlock', 1], [terminal, 'terminal', 'ends_low', 2]] as const;
    for (const [sys, kind, name, length] of cases) {
      const r = check(sys, { strategy: 'simulate', walks: 3 });
      expect(r.verdict, name).toBe('violated');
      expect(r.violation!.kind).toBe(kind);
      expect(r.violation!.invariant).toBe(name);
      expect(r.violation!.trace.steps.length).toBe(length);
      expect(confirmsViolation(sys, r.violation!)).toBe(true);
      expect(replay(sys, r.violation!.trace).violation?.invariant).toBe(name);
    }
    // Without deadlock checking a stuck walk just ends.
    expect(check(deadlock, { strategy: 'simulate', walks: 3, checkDeadlock: false }).verdict).toBe('incomplete');
  });

  it('without a violation simulation is incomplete, never holds, and counts walks cut at the depth bound', () => {
    const r = check(counters(1, 10), { strategy: 'simulate', walks: 7, walkDepth: 3 });
    expect(r.verdict).toBe('incomplete');
    expect(r.incompleteReason).toBe('random simulation: 7 walks of at most 3 steps found no violation, 7 of them cut at the depth bound; simulation does not exhaust the state space');
    expect(r.stats.maxDepth).toBe(3);
    expect(r.stats.distinctStates).toBe(4);
    const full = check(counters(1, 2), { strategy: 'simulate', walks: 2 });
    expect(full.incompleteReason).toBe('random simulation: 2 walks of at most 1000 steps found no violation; simulation does not exhaust the state space');
    expect(full.stats.maxDepth).toBe(2);
  });

  it('maxDepth below walkDepth bounds the walks', () => {
    const r = check(counters(1, 10), { strategy: 'simulate', walks: 2, maxDepth: 2 });
    expect(r.stats.maxDepth).toBe(2);
    expect(r.incompleteReason).toMatch(/2 walks of at most 2 steps/);
    // A violation at depth 3 lies beyond a maxDepth of 2.
    expect(check(counters(1, 10, { limit: 3 }), { strategy: 'simulate', walks: 20, maxDepth: 2 }).verdict).toBe('incomplete');
    expect(check(counters(1, 10, { limit: 3 }), { strategy: 'simulate', walks: 20, maxDepth: 3 }).verdict).toBe('violated');
  });

  it('maxStates stops a simulation as incomplete, with the state-limit reason', () => {
    const r = check(counters(3, 9), { strategy: 'simulate', maxStates: 30, walks: 1000 });
    expect(r.verdict).toBe('incomplete');
    expect(r.incompleteReason).toMatch(/state limit reached: 30 distinct states/);
    expect(r.stats.distinctStates).toBeGreaterThanOrEqual(30);
  });

  it('zero walks look at nothing beyond the initial states and say so', () => {
    const r = check(counters(1, 3, { limit: 1 }), { strategy: 'simulate', walks: 0 });
    expect(r.verdict).toBe('incomplete');
    expect(r.stats.distinctStates).toBe(1);
  });
});

describe('a violation found at a limit is reported, not dropped for incomplete', () => {
  // performance.now() is faked: only the slow checks move it, so the timing is exact and instant.
  // The faked clock starts far from 0, so a start time subtracted or added tells.
  beforeEach(() => { vi.useFakeTimers({ toFake: ['performance'] }); vi.advanceTimersByTime(1_000_000); });
  afterEach(() => { vi.useRealTimers(); });

  it('BFS: the time limit runs out after a violation was found in the level being scanned', () => {
    // The violation (x = 6 stepping to y = 1) is found while expanding level 1; its invariant
    // check outlasts the time limit, so the next poll (state 1024, still level 1) sees the time up.
    const sys = twoLevels(2000, { bad: (x) => x === 6, slow: (x) => x === 6, slowMs: 300 });
    const r = check(sys, { strategy: 'bfs', timeLimitMs: 200 });
    expect(r.verdict).toBe('violated');
    expect(r.violation!.trace.steps.map((s) => s.index)).toEqual([5, 0]);
    expect(r.stats.elapsedMs).toBeGreaterThanOrEqual(200);
  });

  it('BFS: a time limit that runs out with nothing found is incomplete, with or without the progress pass (which would also see the time up)', () => {
    const sys = twoLevels(2000, { slow: (x) => x === 6, slowMs: 300 });
    for (const checkProgress of [true, false]) {
      const r = check(sys, { strategy: 'bfs', timeLimitMs: 200, checkProgress });
      expect(r.verdict).toBe('incomplete');
      expect(r.incompleteReason).toMatch(/time limit of 200 ms/);
      expect(r.incompleteReason!.includes('safety holds')).toBe(false);
    }
  });

  for (const strategy of ['bfs', 'dfs', 'simulate'] as const) {
    it(`maxStates equal to the good states before the violation still reports it (${strategy})`, () => {
      // States 0..4 are fine, 5 breaks the limit: 5 states stored, the 6th checked and reported.
      const sys = counters(1, 10, { limit: 5 });
      const r = check(sys, { strategy, maxStates: 5 });
      expect(r.verdict).toBe('violated');
      expect(r.violation!.trace.steps.length).toBe(5);
      if (strategy !== 'simulate') expect(check(sys, { strategy, maxStates: 4 }).verdict).toBe('incomplete');
    });
  }

  it('BFS: once a violation is pending, the rest of the level is not expanded (so a state limit cannot hide it)', () => {
    // Level 1 has 10 states; the first one's successor is bad. Expanding the other nine would
    // add nine level-2 states and run into maxStates = 12.
    const sys = twoLevels(10, { bad: (x) => x === 1 });
    const r = check(sys, { strategy: 'bfs', maxStates: 12 });
    expect(r.verdict).toBe('violated');
    expect(r.violation!.trace.steps.map((s) => s.index)).toEqual([0, 0]);
    expect(r.stats.distinctStates).toBe(11);
  });

  it('BFS: a pending violation wins over a deadlock one level deeper, found later (same length)', () => {
    // Level-1 state x = 1 steps to (1, 1), a deadlock (not done, nothing enabled); x = 2 steps
    // to a bad state. Both are at depth 2; the bad transition is found first, while level 1 is
    // expanded, and the deadlock only when level 2 would be scanned.
    const base = twoLevels(2, { bad: (x) => x === 2 });
    const sys: TransitionSystem = { ...base, threadDone: (s) => s[1] === 1 && s[0] !== 1 };
    const r = check(sys, { strategy: 'bfs' });
    expect(r.verdict).toBe('violated');
    expect(r.violation!.kind).toBe('invariant');
    expect(r.violation!.trace.steps.map((s) => s.index)).toEqual([1, 0]);
    expect(referenceExplore(sys).shortestViolation).toBe(2);
  });

  it('BFS: a deadlock later in the same level is shorter than a pending violation and wins', () => {
    const sys = twoLevels(3, { bad: (x) => x === 1, deadEnd: (x) => x === 3 });
    const r = check(sys, { strategy: 'bfs' });
    expect(r.verdict).toBe('violated');
    expect(r.violation!.kind).toBe('deadlock');
    expect(r.violation!.trace.steps.map((s) => s.index)).toEqual([2]);
  });
});

describe('reductions apply only when asked for', () => {
  it('symmetry off (false) on a symmetric model explores the full (n+1)^k states; on by default where declared', () => {
    const sys = counters(3, 5, { symmetric: true });
    expect(check(sys).stats.distinctStates).toBe(56);
    expect(check(sys, { symmetry: false }).stats.distinctStates).toBe(216);
    expect(check(sys, { symmetry: false, strategy: 'dfs', visitedSet: exactSetFactory }).stats.distinctStates).toBe(216);
    expect(check(sys, { symmetry: true }).stats.distinctStates).toBe(56);
  });

  it('symmetry on a model without a canonicalise hook explores everything', () => {
    expect(check(counters(3, 5), { symmetry: true }).stats.distinctStates).toBe(216);
  });

  it('symmetry with the exact set counts one state per orbit, in BFS and DFS', () => {
    const sys = counters(3, 5, { symmetric: true });
    for (const strategy of ['bfs', 'dfs'] as const) {
      expect(check(sys, { symmetry: true, strategy, visitedSet: exactSetFactory }).stats.distinctStates).toBe(56);
    }
  });
});
