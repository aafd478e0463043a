import { describe, expect, it } from 'vitest';
import { check, exactSetFactory, replay, type TransitionSystem } from '../../explorer/index.js';
import { counters } from '../fixtures/counters.js';
import { referenceExplore } from './reference.js';

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
});
