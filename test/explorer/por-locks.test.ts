import { describe, expect, it } from 'vitest';
import { check, replay, type Footprint, type TransitionSystem } from '../../explorer/index.js';
import { referenceExplore } from './reference.js';

/**
 * Footprints that name a field under `locks` (taken or released: read and written) instead of
 * `reads`/`writes`. Each system has a violation that only an interleaving the reduction must
 * not prune shows; the reference explorer confirms it is reachable.
 */

/** A finishes (pc 0 -> 1) only while x = 0; B sets x. B first deadlocks A. `declare` says
 *  where x appears: in A's step footprint as a lock, or in B's future footprint as a lock. */
function guardedFinish(declare: 'step-lock' | 'future-lock'): TransitionSystem {
  const PCA = 0, PCB = 1, X = 2;
  const none: Footprint = { reads: [], writes: [] };
  const a: Footprint = declare === 'step-lock' ? { reads: [PCA], writes: [PCA], locks: [X] } : { reads: [PCA, X], writes: [PCA] };
  const b: Footprint = declare === 'future-lock' ? { reads: [PCB], writes: [PCB], locks: [X] } : { reads: [PCB], writes: [PCB, X] };
  return {
    fields: [{ name: 'pcA', min: 0, max: 1 }, { name: 'pcB', min: 0, max: 1 }, { name: 'x', min: 0, max: 1 }],
    threads: ['A', 'B'],
    labels: ['a', 'b'],
    initialStates: () => [new Int32Array(3)],
    actions(s, sink) {
      if (s[PCA] === 0 && s[X] === 0) sink.push(0, 0, 0);
      if (s[PCB] === 0) sink.push(1, 1, 0);
    },
    apply(_s, act, next) {
      if (act.label === 0) next[PCA] = 1;
      else { next[PCB] = 1; next[X] = 1; }
    },
    threadDone: (s, t) => s[t] === 1,
    invariants: [],
    stepFootprint: (s, t) => (t === 0 ? (s[PCA] === 0 ? a : none) : (s[PCB] === 0 ? b : none)),
    futureFootprint: (s, t) => (t === 0 ? (s[PCA] === 0 ? a : none) : (s[PCB] === 0 ? b : none)),
  };
}

/** A takes a lock (lock 0 -> 1, done); B looks at it once: free, it goes on to a place where
 *  it is stuck; taken, it finishes. Only B before A deadlocks: B's future reads what A's step
 *  locks (writes), so A must not be expanded alone. */
function lockReader(): TransitionSystem {
  const PCA = 0, PCB = 1, L = 2;
  const a: Footprint = { reads: [PCA], writes: [PCA], locks: [L] };
  const b: Footprint = { reads: [PCB, L], writes: [PCB] };
  const none: Footprint = { reads: [], writes: [] };
  return {
    fields: [{ name: 'pcA', min: 0, max: 1 }, { name: 'pcB', min: 0, max: 2 }, { name: 'lock', min: 0, max: 1 }],
    threads: ['A', 'B'],
    labels: ['lock', 'look'],
    initialStates: () => [new Int32Array(3)],
    actions(s, sink) {
      if (s[PCA] === 0) sink.push(0, 0, 0);
      if (s[PCB] === 0) sink.push(1, 1, 0);
    },
    apply(s, act, next) {
      if (act.thread === 0) { next[PCA] = 1; next[L] = 1; } else next[PCB] = s[L] === 0 ? 2 : 1;
    },
    threadDone: (s, t) => s[t] === 1,
    invariants: [],
    stepFootprint: (s, t) => (t === 0 ? (s[PCA] === 0 ? a : none) : (s[PCB] === 0 ? b : none)),
    futureFootprint: (s, t) => (t === 0 ? (s[PCA] === 0 ? a : none) : (s[PCB] === 0 ? b : none)),
  };
}

/** A takes a lock and drops it (pc 0 -> 1 -> 2, lock 0 -> 1 -> 0); B steps on its own
 *  (pc 0 -> 1). The invariant "never the lock held while B is at 1" reads the lock, so A's
 *  steps are visible: they must not be expanded alone, or the states between them are lost. */
function visibleLock(): TransitionSystem {
  const PCA = 0, PCB = 1, L = 2;
  const a: Footprint = { reads: [PCA], writes: [PCA], locks: [L] };
  const b: Footprint = { reads: [PCB], writes: [PCB] };
  const none: Footprint = { reads: [], writes: [] };
  return {
    fields: [{ name: 'pcA', min: 0, max: 2 }, { name: 'pcB', min: 0, max: 1 }, { name: 'lock', min: 0, max: 1 }],
    threads: ['A', 'B'],
    labels: ['lock', 'unlock', 'b'],
    initialStates: () => [new Int32Array(3)],
    actions(s, sink) {
      if (s[PCA] < 2) sink.push(0, s[PCA], 0);
      if (s[PCB] === 0) sink.push(1, 2, 0);
    },
    apply(s, act, next) {
      if (act.thread === 0) { next[PCA] = s[PCA] + 1; next[L] = s[PCA] === 0 ? 1 : 0; } else next[PCB] = 1;
    },
    threadDone: (s, t) => s[t] === (t === 0 ? 2 : 1),
    invariants: [{ name: 'b_outside_lock', description: 'B is not at 1 while the lock is held', check: (s) => (s[L] === 1 && s[PCB] === 1 ? 'B ran under the lock' : null), reads: [L, PCB] }],
    stepFootprint: (s, t) => (t === 0 ? (s[PCA] < 2 ? a : none) : (s[PCB] === 0 ? b : none)),
    futureFootprint: (s, t) => (t === 0 ? (s[PCA] < 2 ? a : none) : (s[PCB] === 0 ? b : none)),
  };
}

describe('partial-order reduction counts a lock as read and written', () => {
  for (const declare of ['step-lock', 'future-lock'] as const) {
    for (const strategy of ['bfs', 'dfs'] as const) {
      it(`a step guarded by a field another thread locks (or that it locks itself) is not expanded alone: the deadlock is found (${declare}, ${strategy})`, () => {
        const sys = guardedFinish(declare);
        expect(referenceExplore(sys).shortestViolation).toBe(1);
        const r = check(sys, { strategy, partialOrder: true, checkProgress: false });
        expect(r.stats.reductions!.partialOrder).toBe(true);
        expect(r.verdict).toBe('violated');
        expect(r.violation!.kind).toBe('deadlock');
        expect(replay(sys, r.violation!.trace).violation?.kind).toBe('deadlock');
      });
    }
  }

  for (const strategy of ['bfs', 'dfs'] as const) {
    it(`a step taking a lock another thread will read is not expanded alone: the deadlock behind the read is found (${strategy})`, () => {
      const sys = lockReader();
      expect(referenceExplore(sys).shortestViolation).toBe(2);
      const r = check(sys, { strategy, partialOrder: true, checkProgress: false });
      expect(r.verdict).toBe('violated');
      expect(r.violation!.kind).toBe('deadlock');
      expect(replay(sys, r.violation!.trace).violation?.kind).toBe('deadlock');
    });

    it(`a step taking a lock an invariant reads is visible: the state between lock and unlock is kept and the violation found (${strategy})`, () => {
      const sys = visibleLock();
      expect(referenceExplore(sys).shortestViolation).toBe(2);
      const r = check(sys, { strategy, partialOrder: true, checkProgress: false });
      expect(r.verdict).toBe('violated');
      expect(r.violation!.invariant).toBe('b_outside_lock');
      expect(replay(sys, r.violation!.trace).violation?.invariant).toBe('b_outside_lock');
    });
  }

  it('without the invariant reading it, the lock does not stop the reduction: A runs alone and fewer states are stored', () => {
    const base = visibleLock();
    const sys: TransitionSystem = { ...base, invariants: [{ ...base.invariants[0], check: () => null, reads: [1] }] }; // reads pcB only
    const reduced = check(sys, { partialOrder: true, checkProgress: false });
    const full = check(sys, { partialOrder: false, checkProgress: false });
    expect(full.stats.distinctStates).toBe(referenceExplore(sys).states.size);
    expect(reduced.stats.reductions!.reducedExpansions).toBeGreaterThan(0);
    expect(reduced.stats.distinctStates).toBeLessThan(full.stats.distinctStates);
  });
});

/**
 * A and B each take one step on x; which one goes last decides x at the end, and the terminal
 * property "x does not end at 5" is broken only when A goes last. A writes x = 5 blindly;
 * B writes x = 7 blindly (`b-writes`) or increments it under a lock (`b-locks`). Neither step
 * reads what the other writes, yet they do not commute: B must not be expanded alone.
 */
function lastWriterWins(b: 'b-writes' | 'b-locks'): TransitionSystem {
  const PCA = 0, PCB = 1, X = 2;
  const fa: Footprint = { reads: [PCA], writes: [PCA, X] };
  const fb: Footprint = b === 'b-writes' ? { reads: [PCB], writes: [PCB, X] } : { reads: [PCB], writes: [PCB], locks: [X] };
  const none: Footprint = { reads: [], writes: [] };
  return {
    fields: [{ name: 'pcA', min: 0, max: 1 }, { name: 'pcB', min: 0, max: 1 }, { name: 'x', min: 0, max: 7 }],
    threads: ['A', 'B'],
    labels: ['a', 'b'],
    initialStates: () => [new Int32Array(3)],
    actions(s, sink) {
      if (s[PCA] === 0) sink.push(0, 0, 0);
      if (s[PCB] === 0) sink.push(1, 1, 0);
    },
    apply(s, act, next) {
      next[act.thread] = 1;
      next[X] = act.thread === 0 ? 5 : b === 'b-writes' ? 7 : s[X] + 1;
    },
    threadDone: (s, t) => s[t] === 1,
    invariants: [],
    terminalProperties: [{ name: 'x_not_5', description: 'x does not end at 5', check: (s) => (s[X] === 5 ? 'A wrote last' : null) }],
    stepFootprint: (s, t) => (s[t] === 1 ? none : t === 0 ? fa : fb),
    futureFootprint: (s, t) => (s[t] === 1 ? none : t === 0 ? fa : fb),
  };
}

describe('partial-order reduction: two writers of one field do not commute', () => {
  for (const variant of ['b-writes', 'b-locks'] as const) {
    for (const strategy of ['bfs', 'dfs'] as const) {
      it(`the order where A writes last is kept and its terminal violation found (${variant}, ${strategy})`, () => {
        const sys = lastWriterWins(variant);
        expect(referenceExplore(sys).shortestViolation).toBe(2);
        const r = check(sys, { strategy, partialOrder: true, checkProgress: false });
        expect(r.verdict).toBe('violated');
        expect(r.violation!.kind).toBe('terminal');
        expect(replay(sys, r.violation!.trace).violation?.invariant).toBe('x_not_5');
      });
    }
  }
});

describe('partial-order reduction: locks of their own do not make threads dependent', () => {
  it('two threads each taking and dropping a lock no one else touches are reduced (fewer states than the full search), with the same verdict', () => {
    const none: Footprint = { reads: [], writes: [] };
    const own = (t: number): Footprint => ({ reads: [t], writes: [t], locks: [2 + t] });
    const sys: TransitionSystem = {
      fields: [{ name: 'pcA', min: 0, max: 2 }, { name: 'pcB', min: 0, max: 2 }, { name: 'lockA', min: 0, max: 1 }, { name: 'lockB', min: 0, max: 1 }],
      threads: ['A', 'B'],
      labels: ['lock', 'unlock'],
      initialStates: () => [new Int32Array(4)],
      actions(s, sink) {
        for (let t = 0; t < 2; t++) if (s[t] < 2) sink.push(t, s[t], 0);
      },
      apply(s, act, next) {
        const t = act.thread;
        next[t] = s[t] + 1;
        next[2 + t] = s[t] === 0 ? 1 : 0;
      },
      threadDone: (s, t) => s[t] === 2,
      invariants: [{ name: 'nothing', description: 'reads no field', check: () => null, reads: [] }],
      stepFootprint: (s, t) => (s[t] === 2 ? none : own(t)),
      futureFootprint: (s, t) => (s[t] === 2 ? none : own(t)),
    };
    const full = check(sys, { partialOrder: false, checkProgress: false });
    const reduced = check(sys, { partialOrder: true, checkProgress: false });
    expect(full.stats.distinctStates).toBe(9);
    expect(reduced.verdict).toBe('holds');
    expect(reduced.stats.reductions!.reducedExpansions).toBeGreaterThan(0);
    expect(reduced.stats.distinctStates).toBeLessThan(9);
  });
});
