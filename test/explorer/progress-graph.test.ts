import { describe, expect, it } from 'vitest';
import { check, replay, type StateVector, type TransitionSystem } from '../../explorer/index.js';
import { referenceExplore } from './reference.js';
import { counters } from '../fixtures/counters.js';

/**
 * A grid walk with a trap, large enough that the progress graph grows its state, edge and
 * lookup tables several times (1,685 states, 3,287 edges; they start at 1,024 and 2,048).
 * Thread tx increments x, ty increments y, each up to n; at (x, y) = (n-1, n-1) tx may instead
 * fall into a trap, where it toggles trap 1 <-> 2 for ever (ty can still finish). Counted by
 * hand: (n+1)^2 grid states, 2 * 2 trap states (y = n-1, n); 2n(n+1) grid edges, the trap
 * edge, 4 toggles and 2 y steps inside the trap.
 * With `quiescentTrap` the trap counts as finished (no non-progress); with `property` the
 * model claims "eventually x = n", which the trap breaks.
 */
function trapGrid(n: number, opts: { quiescentTrap?: boolean; property?: boolean; initial?: number[][]; trapAt?: [number, number] } = {}): TransitionSystem {
  const X = 0, Y = 1, TRAP = 2;
  const [tx, ty] = opts.trapAt ?? [n - 1, n - 1];
  return {
    fields: [{ name: 'x', min: 0, max: n }, { name: 'y', min: 0, max: n }, { name: 'trap', min: 0, max: 2 }],
    threads: ['tx', 'ty'],
    labels: ['x:inc', 'y:inc', 'x:trap', 'x:spin'],
    initialStates: () => (opts.initial ?? [[0, 0, 0]]).map((s) => Int32Array.from(s)),
    actions(s, sink) {
      if (s[TRAP] !== 0) sink.push(0, 3, 0);
      else {
        if (s[X] < n) sink.push(0, 0, 0);
        if (s[X] === tx && s[Y] === ty) sink.push(0, 2, 0);
      }
      if (s[Y] < n) sink.push(1, 1, 0);
    },
    apply(s, a, next) {
      switch (a.label) {
        case 0: next[X] = s[X] + 1; break;
        case 1: next[Y] = s[Y] + 1; break;
        case 2: next[TRAP] = 1; break;
        case 3: next[TRAP] = 3 - s[TRAP]; break;
      }
    },
    threadDone: (s, t) => s[t] === n,
    invariants: [],
    ...(opts.quiescentTrap ? { quiescent: (s: StateVector) => s[TRAP] !== 0 } : {}),
    ...(opts.property ? {
      progressProperties: [{ name: 'x-reaches-n', description: 'x eventually reaches n', kind: 'eventually' as const, holds: (s: StateVector) => s[X] === n }],
    } : {}),
  };
}

const N = 40;
const labels = (sys: TransitionSystem, steps: { action: { label: number } }[]) => steps.map((s) => sys.labels[s.action.label]);

describe('the progress graph of a space larger than its first tables', () => {
  it('holds every state and edge (hand counts, and the reference explorer\'s state count)', () => {
    const sys = trapGrid(N, { quiescentTrap: true });
    const r = check(sys, { fairness: 'strong' });
    expect(r.verdict).toBe('holds');
    const states = (N + 1) ** 2 + 4;
    expect(referenceExplore(sys).states.size).toBe(states);
    expect(r.stats.progress!.states).toBe(states);
    expect(r.stats.progress!.edges).toBe(2 * N * (N + 1) + 1 + 4 + 2);
    expect(r.stats.progress!.bytes).toBeGreaterThan(states * 8);
  });

  it('a non-progress loop in the far corner: the shortest stem (2n-2 steps and the trap), then the two-step cycle; the lasso replays', () => {
    const sys = trapGrid(N);
    const r = check(sys);
    expect(r.verdict).toBe('violated');
    const v = r.violation!;
    expect(v.kind).toBe('non-progress');
    expect(v.message).toBe('no run from the loop ever finishes: tx, ty can never complete; the loop repeats for ever');
    expect(v.trace.steps.length).toBe(2 * N + 1);
    expect(v.trace.loop).toBe(2 * N - 1);
    expect(labels(sys, v.trace.steps).slice(2 * N - 2)).toEqual(['x:trap', 'x:spin', 'x:spin']);
    expect(replay(sys, v.trace).violation?.kind).toBe('non-progress');
  });

  it('the message names the threads not done in the loop: with the trap at y = n, only tx', () => {
    const sys = trapGrid(N, { trapAt: [N - 1, N] });
    const v = check(sys).violation!;
    expect(v.kind).toBe('non-progress');
    expect(v.message).toBe('no run from the loop ever finishes: tx can never complete; the loop repeats for ever');
    expect(v.trace.steps.length).toBe(2 * N + 2);
    expect(replay(sys, v.trace).violation?.message).toBe(v.message);
  });

  it('the lasso starts from the initial state nearest the loop, named by its index (a repeated initial state counted once)', () => {
    const sys = trapGrid(N, { initial: [[0, 0, 0], [0, 0, 0], [N - 2, N - 1, 0]] });
    const r = check(sys);
    const t = r.violation!.trace;
    expect(t.initial).toBe(2);
    expect(labels(sys, t.steps)).toEqual(['x:inc', 'x:trap', 'x:spin', 'x:spin']);
    expect(t.loop).toBe(2);
    expect(replay(sys, t).violation?.kind).toBe('non-progress');
  });

  it('"eventually x = n" breaks in the trap: without fairness at the first trap state, under weak and strong fairness only once ty has finished (y = n)', () => {
    const sys = trapGrid(N, { quiescentTrap: true, property: true });
    const none = check(sys, { fairness: 'none' }).violation!;
    expect(none.invariant).toBe('x-reaches-n');
    expect(none.trace.loop).toBe(2 * N - 1);
    expect(none.trace.steps.length).toBe(2 * N + 1);
    for (const fairness of ['weak', 'strong'] as const) {
      const v = check(sys, { fairness }).violation!;
      expect(v.invariant).toBe('x-reaches-n');
      expect(v.trace.loop).toBe(2 * N);
      expect(v.trace.steps.length).toBe(2 * N + 2);
      expect(labels(sys, v.trace.steps).slice(2 * N)).toEqual(['x:spin', 'x:spin']);
      expect(replay(sys, v.trace, { property: 'x-reaches-n', fairness }).violation?.kind).toBe('liveness');
    }
    expect(replay(sys, none.trace, { property: 'x-reaches-n', fairness: 'weak' }).divergence?.reason).toMatch(/unfair to ty/);
  });
});

describe('the progress graph at exactly the sizes where its tables are full', () => {
  // k counters 0..n: (n+1)^k states, k*n*(n+1)^(k-1) edges, every run finishes. 2 x 31 fills
  // the first state tables (1,024), 2 x 63 the ones after two doublings (4,096).
  for (const n of [31, 63]) {
    it(`counters 2 x ${n}: all ${(n + 1) ** 2} states and ${2 * n * (n + 1)} edges, and every run finishes (holds)`, () => {
      const r = check(counters(2, n));
      expect(r.verdict).toBe('holds');
      expect(r.stats.progress!.states).toBe((n + 1) ** 2);
      expect(r.stats.progress!.edges).toBe(2 * n * (n + 1));
    });
  }
});

describe('the progress graph\'s state limit, when the safety search was reduced', () => {
  // Safety under symmetry stores C(4+3, 3) = 35 states, and so does the progress pass on the
  // quotient (no loop anywhere, so it settles the verdict); without symmetry both need all
  // 5^3 = 125.
  const sys = counters(3, 4, { symmetric: true });
  it('under symmetry the progress graph is the quotient: a limit of its size checks progress; one less is incomplete, naming the limit', () => {
    const q = check(sys, { symmetry: true, maxProgressStates: 35 });
    expect(q.stats.distinctStates).toBe(35);
    expect(q.verdict).toBe('holds');
    expect(q.stats.progress).toMatchObject({ states: 35, quotient: true });
    const cut = check(sys, { symmetry: true, maxProgressStates: 34 });
    expect(cut.verdict).toBe('incomplete');
    expect(cut.incompleteReason).toBe('safety holds; progress not checked: more than 34 states, the progress graph\'s limit (maxProgressStates; checkProgress: false checks safety only) (the progress graph\'s symmetry quotient)');
  });

  it('without symmetry a limit of exactly the full graph\'s size checks progress; one less is incomplete, naming the limit that was hit', () => {
    const full = check(sys, { symmetry: false, maxProgressStates: 125 });
    expect(full.verdict).toBe('holds');
    expect(full.stats.progress).toMatchObject({ states: 125, quotient: false });
    const cut = check(sys, { symmetry: false, maxProgressStates: 124 });
    expect(cut.verdict).toBe('incomplete');
    expect(cut.incompleteReason).toBe('safety holds; progress not checked: more than 124 states, the progress graph\'s limit (maxProgressStates; checkProgress: false checks safety only) (the progress graph is explored without reductions)');
  });
});
