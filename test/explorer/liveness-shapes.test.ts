import { describe, expect, it } from 'vitest';
import { check, replay, type TransitionSystem } from '../../explorer/index.js';
import { checkLiveness, finished } from '../../explorer/liveness.js';

// Small hand-drawn graphs whose progress verdicts and lassos are worked out by hand.

describe('progress: hand-drawn graphs', () => {
  it('a state is finished when its threads are done, asking about no thread past the last', () => {
    // Two fields, one thread: threadDone must not be asked about a second thread (its answer
    // here would be "not done", and every state would count as unfinished).
    const sys: TransitionSystem = {
      fields: [{ name: 'pc', min: 0, max: 1 }, { name: 'other', min: 0, max: 1 }],
      threads: ['t'],
      labels: ['step'],
      initialStates: () => [Int32Array.of(0, 0)],
      actions(s, sink) { if (s[0] === 0) sink.push(0, 0, 0); },
      apply(_s, _a, next) { next[0] = 1; },
      threadDone: (s, t) => t === 0 && s[0] === 1,
      invariants: [],
    };
    expect(finished(sys, Int32Array.of(1, 0))).toBe(true);
    expect(finished(sys, Int32Array.of(0, 0))).toBe(false);
    expect(check(sys).verdict).toBe('holds');
  });

  /** A and B swap by thread t0 for ever; t1 (enabled in A only) and t2 (in B only) each lead
   *  to the goal G. */
  const alternating: TransitionSystem = {
    fields: [{ name: 'pc', min: 0, max: 2 }],
    threads: ['t0', 't1', 't2'],
    labels: ['swap', 'leave'],
    initialStates: () => [Int32Array.of(0)],
    actions(s, sink) {
      if (s[0] === 2) return;
      sink.push(0, 0, 0);
      sink.push(s[0] === 0 ? 1 : 2, 1, 0);
    },
    apply(s, a, next) { next[0] = a.label === 0 ? 1 - s[0] : 2; },
    threadDone: (s) => s[0] === 2,
    invariants: [],
    progressProperties: [{ name: 'reach_goal', description: 'the goal is reached', kind: 'eventually', holds: (s) => s[0] === 2 }],
  };

  it('strong fairness: a cycle where each of two threads is enabled in one of its states and never taken is unfair, and no part of it is fair: holds (and the search ends)', () => {
    expect(check(alternating, { fairness: 'strong' }).verdict).toBe('holds');
  });

  it('weak fairness: the same cycle is fair (each of those threads is disabled in one of its states): violated, with the 2-step loop A, B', () => {
    for (const fairness of ['weak', 'none'] as const) {
      const r = check(alternating, { fairness });
      expect(r.verdict).toBe('violated');
      expect(r.violation!.kind).toBe('liveness');
      expect(r.violation!.trace.steps.map((s) => s.action.label)).toEqual([0, 0]);
      expect(r.violation!.trace.loop).toBe(0);
      expect(replay(alternating, r.violation!.trace, { property: 'reach_goal', fairness }).violation?.kind).toBe('liveness');
    }
  });

  it('the non-progress loop is the shortest cycle through its entry: E to C and back, not E, A, B and back (listed last)', () => {
    // E = 0, A = 1, B = 2, C = 3; nothing ever finishes.
    const next = [[3, 1], [2], [0], [0]];
    const sys: TransitionSystem = {
      fields: [{ name: 'v', min: 0, max: 3 }],
      threads: ['t'],
      labels: ['go'],
      initialStates: () => [Int32Array.of(0)],
      actions(s, sink) { next[s[0]].forEach((_, k) => sink.push(0, 0, k)); },
      apply(s, a, out) { out[0] = next[s[0]][a.choice]; },
      threadDone: () => false,
      invariants: [],
    };
    const r = checkLiveness(sys, Infinity, 'none');
    if (typeof r === 'string') throw new Error(r);
    expect(r.finding).toMatchObject({ kind: 'non-progress', lasso: { initial: 0, indices: [0, 0], loop: 0 } });
  });

  it('weak fairness: the loop through the fair component visits the state that disables the waiting thread, though an unfair component is looked at after it', () => {
    // S = 0 steps to P = 1 (component P, Q, R, fair: t1 is disabled in R) and to U = 4
    // (component U, V = 5, unfair: t1 enabled throughout). t1 leads from P, Q, U, V to the
    // goal G = 6. The loop must pass R, or t1 would be enabled throughout it.
    const next: Record<number, [number, number][]> = {
      0: [[0, 1], [0, 4]], 1: [[0, 2], [0, 3], [1, 6]], 2: [[0, 1], [1, 6]], 3: [[0, 1]],
      4: [[0, 5], [1, 6]], 5: [[0, 4], [1, 6]], 6: [],
    };
    const sys: TransitionSystem = {
      fields: [{ name: 'pc', min: 0, max: 6 }],
      threads: ['t0', 't1'],
      labels: ['go'],
      initialStates: () => [Int32Array.of(0)],
      actions(s, sink) { next[s[0]].forEach(([t], k) => sink.push(t, 0, k)); },
      apply(s, a, out) { out[0] = next[s[0]][a.choice][1]; },
      threadDone: (s) => s[0] === 6,
      invariants: [],
      progressProperties: [{ name: 'reach_goal', description: 'the goal is reached', kind: 'eventually', holds: (s) => s[0] === 6 }],
    };
    const r = check(sys, { fairness: 'weak' });
    expect(r.verdict).toBe('violated');
    const rep = replay(sys, r.violation!.trace, { property: 'reach_goal', fairness: 'weak' });
    expect(rep.divergence).toBeUndefined();
    expect(rep.violation?.kind).toBe('liveness');
  });

  it('a run that stops short of the goal (nothing enabled, every thread done) breaks "eventually" under every fairness; replay accepts the lasso that ends there', () => {
    const sys: TransitionSystem = {
      fields: [{ name: 'pc', min: 0, max: 2 }],
      threads: ['t'],
      labels: ['step'],
      initialStates: () => [Int32Array.of(0)],
      actions(s, sink) { if (s[0] === 0) sink.push(0, 0, 0); },
      apply(_s, _a, next) { next[0] = 1; },
      threadDone: (s) => s[0] === 1,
      invariants: [],
      progressProperties: [{ name: 'reach_two', description: 'pc reaches 2', kind: 'eventually', holds: (s) => s[0] === 2 }],
    };
    for (const fairness of ['none', 'weak', 'strong'] as const) {
      const r = check(sys, { fairness });
      expect(r.verdict).toBe('violated');
      expect(r.violation!.trace.steps.length).toBe(1);
      expect(r.violation!.trace.loop).toBe(1);
      const rep = replay(sys, r.violation!.trace, { property: 'reach_two', fairness });
      expect(rep.divergence).toBeUndefined();
      expect(rep.violation?.kind).toBe('liveness');
    }
  });

  /** A graph by successor lists (one thread; `v` is the state), with the goal states given. */
  const graph = (initial: number[], next: number[][], goal: number[]): TransitionSystem => ({
    fields: [{ name: 'v', min: 0, max: next.length - 1 }],
    threads: ['t'],
    labels: ['go'],
    initialStates: () => initial.map((v) => Int32Array.of(v)),
    actions(s, sink) { next[s[0]].forEach((_, k) => sink.push(0, 0, k)); },
    apply(s, a, out) { out[0] = next[s[0]][a.choice]; },
    threadDone: () => true,
    invariants: [],
    progressProperties: [{ name: 'goal', description: 'a goal state is reached', kind: 'eventually', holds: (s) => goal.includes(s[0]) }],
  });

  it('the stem to a goal-free cycle stays goal-free: S, A, B into the cycle at C, not the shorter way through the goal G', () => {
    // S = 0 -> G = 1 (goal) -> C = 3 (self-loop); S -> A = 2 -> B = 4 -> C.
    const sys = graph([0], [[1, 2], [3], [4], [3], [3]], [1]);
    for (const fairness of ['none', 'weak'] as const) {
      const r = check(sys, { fairness });
      expect(r.verdict).toBe('violated');
      expect(r.violation!.trace.steps.map((s) => s.action.choice)).toEqual([1, 0, 0, 0]);
      expect(replay(sys, r.violation!.trace, { property: 'goal', fairness }).violation?.kind).toBe('liveness');
    }
  });

  it('a cycle reachable only through a goal state does not break "eventually": the initial goal state G (id 0) leads to it, the other initial state only to a goal', () => {
    // G = 0 (goal) -> C = 2 (self-loop); S = 1 -> G2 = 3 (goal).
    const sys = graph([0, 1], [[2], [3], [2], []], [0, 3]);
    for (const fairness of ['none', 'weak', 'strong'] as const) expect(check(sys, { fairness }).verdict).toBe('holds');
  });
});

