import { describe, expect, it } from 'vitest';
import { check, exactSetFactory, replay, type TransitionSystem } from '../../explorer/index.js';
import { counters } from '../fixtures/counters.js';
import { referenceExplore } from './reference.js';
import { swapMembers, symmetryProblem } from './symmetry-check.js';

/**
 * k identical threads: take the lock (owner = thread + 1), enter, leave, release. Fields:
 * pc[t], then the lock owner. `broken` takes the lock without looking at it. The threads are
 * declared interchangeable: slot t = [pc[t]], and the lock field references a thread + 1.
 */
function lockers(k: number, opts: { broken?: boolean; declare?: boolean } = {}): TransitionSystem {
  const LOCK = k;
  return {
    fields: [...Array.from({ length: k }, (_, t) => ({ name: `pc[${t}]`, min: 0, max: 3 })), { name: 'owner', min: 0, max: k }],
    threads: Array.from({ length: k }, (_, t) => `t${t}`),
    labels: ['lock', 'enter', 'unlock'],
    initialStates: () => [new Int32Array(k + 1)],
    actions(s, sink) {
      for (let t = 0; t < k; t++) {
        if (s[t] === 0 && (opts.broken || s[LOCK] === 0)) sink.push(t, 0, 0);
        else if (s[t] === 1 || s[t] === 2) sink.push(t, s[t], 0);
      }
    },
    apply(s, a, next) {
      const t = a.thread;
      if (a.label === 0) next[LOCK] = t + 1;
      if (a.label === 2) next[LOCK] = 0;
      next[t] = s[t] + 1;
    },
    threadDone: (s, t) => s[t] === 3,
    invariants: [{
      name: 'one_inside',
      description: 'at most one thread between lock and unlock',
      check: (s) => (Array.from(s.slice(0, k)).filter((pc) => pc === 1 || pc === 2).length > 1 ? 'two threads inside' : null),
    }],
    ...(opts.declare === false ? {} : { symmetry: [{ slots: Array.from({ length: k }, (_, t) => [t]), references: [{ field: LOCK, offset: 1 }] }] }),
  };
}

/** Orbits counted independently: every permutation of the threads, applied by hand. */
function orbitCount(k: number, states: Iterable<string>): number {
  const perms: number[][] = [];
  const permute = (prefix: number[], rest: number[]): void => {
    if (rest.length === 0) { perms.push(prefix); return; }
    rest.forEach((r, i) => permute([...prefix, r], [...rest.slice(0, i), ...rest.slice(i + 1)]));
  };
  permute([], Array.from({ length: k }, (_, i) => i));
  const orbits = new Set<string>();
  for (const key of states) {
    const s = JSON.parse(key) as number[];
    const images = perms.map((p) => {
      const img = s.slice();
      for (let t = 0; t < k; t++) img[p[t]] = s[t];
      img[k] = s[k] === 0 ? 0 : p[s[k] - 1] + 1;
      return JSON.stringify(img);
    });
    orbits.add(images.sort()[0]);
  }
  return orbits.size;
}

describe('symmetry declared as interchangeable threads', () => {
  for (const k of [2, 3, 4]) {
    it(`leaves exactly one state per orbit of thread permutations, lock owner renamed (${k} threads)`, () => {
      const full = referenceExplore(lockers(k, { declare: false }));
      const r = check(lockers(k), { visitedSet: exactSetFactory });
      expect(r.verdict).toBe('holds');
      expect(r.stats.reductions!.symmetry).toBe(true);
      expect(r.stats.distinctStates).toBe(orbitCount(k, full.states.keys()));
      expect(r.stats.distinctStates).toBeLessThan(full.states.size);
      expect(check(lockers(k), { symmetry: false }).stats.distinctStates).toBe(full.states.size);
    });
  }

  it('a violation found under symmetry is a concrete path that replays without canonicalising', () => {
    const sys = lockers(3, { broken: true });
    const r = check(sys);
    expect(r.verdict).toBe('violated');
    expect(r.violation!.trace.steps.length).toBe(referenceExplore(sys).shortestViolation);
    const plain = lockers(3, { broken: true, declare: false });
    expect(replay(plain, r.violation!.trace).violation?.invariant).toBe('one_inside');
  });

  it('sorting-based declaration of counters gives C(n+k, k) states', () => {
    const base = counters(3, 4);
    const r = check({ ...base, symmetry: [{ slots: [[0], [1], [2]] }] });
    expect(r.stats.distinctStates).toBe(35);
  });

  it('members named by id (threads 1..k), a reader bit set and a last-owner reference: one state per orbit, by closure under swaps', () => {
    const k = 3, LAST = k + 1, READERS = k + 2;
    const sys: TransitionSystem = {
      fields: [
        { name: 'pc[other]', min: 0, max: 1 },
        ...Array.from({ length: k }, (_, i) => ({ name: `pc[r${i + 1}]`, min: 0, max: 2 })),
        { name: 'last', min: 0, max: k + 1 }, { name: 'readers', min: 0, max: (1 << (k + 1)) - 1 },
      ],
      threads: ['other', ...Array.from({ length: k }, (_, i) => `r${i + 1}`)],
      labels: ['other:step', 'read_lock', 'read_unlock'],
      initialStates: () => [new Int32Array(k + 3)],
      actions(s, sink) {
        if (s[0] === 0) sink.push(0, 0, 0);
        for (let t = 1; t <= k; t++) if (s[t] < 2) sink.push(t, 1 + s[t], 0);
      },
      apply(s, a, next) {
        const t = a.thread;
        if (t === 0) { next[0] = 1; return; }
        if (s[t] === 0) next[READERS] = s[READERS] | (1 << t);
        else { next[READERS] = s[READERS] & ~(1 << t); next[LAST] = t + 1; }
        next[t] = s[t] + 1;
      },
      threadDone: (s, t) => s[t] === (t === 0 ? 1 : 2),
      invariants: [],
      symmetry: [{ slots: Array.from({ length: k }, (_, i) => [i + 1]), ids: Array.from({ length: k }, (_, i) => i + 1), references: [{ field: LAST, offset: 1 }], bitsets: [READERS] }],
    };
    expect(symmetryProblem(sys)).toBeNull();
    const g = sys.symmetry![0];
    const orbits = new Set<string>();
    for (const key of referenceExplore(sys).states.keys()) {
      const seen = new Set([key]);
      const todo = [key];
      while (todo.length > 0) {
        const s = Int32Array.from(JSON.parse(todo.pop()!) as number[]);
        for (let a = 0; a < k; a++) for (let b = a + 1; b < k; b++) {
          const t = JSON.stringify(Array.from(swapMembers(g, s, a, b)));
          if (!seen.has(t)) { seen.add(t); todo.push(t); }
        }
      }
      orbits.add([...seen].sort()[0]);
    }
    const r = check(sys, { visitedSet: exactSetFactory });
    expect(r.stats.distinctStates).toBe(orbits.size);
    expect(check(sys, { symmetry: false }).stats.distinctStates).toBe(referenceExplore(sys).states.size);
  });
});
