import { describe, expect, it } from 'vitest';
import { check, exactSetFactory, replay, type TransitionSystem } from '../../explorer/index.js';
import { declaredCanonicaliser, declaredCanonicaliserByTable } from '../../explorer/symmetry.js';

/**
 * k identical threads, each owning two fields (a, b): a goes 0 -> 1 -> 2; the first step may
 * also set b. Each thread has 5 local states ((0,0), (1,0), (1,1), (2,0), (2,1)), so the full
 * space has 5^k states and the orbits under permuting the threads are the multisets of k local
 * states: C(k + 4, 4). With `limit`, "fewer than `limit` threads end at (2, 1)" is the invariant.
 * Declared with more than 5 members, the group is canonicalised by sorting the members' slots.
 */
function pairs(k: number, opts: { limit?: number; declare?: boolean } = {}): TransitionSystem {
  return {
    fields: Array.from({ length: k }, (_, t) => [{ name: `a[${t}]`, min: 0, max: 2 }, { name: `b[${t}]`, min: 0, max: 1 }]).flat(),
    threads: Array.from({ length: k }, (_, t) => `t${t}`),
    labels: ['step'],
    initialStates: () => [new Int32Array(2 * k)],
    actions(s, sink) {
      for (let t = 0; t < k; t++) {
        if (s[2 * t] === 0) { sink.push(t, 0, 0); sink.push(t, 0, 1); } else if (s[2 * t] === 1) sink.push(t, 0, 0);
      }
    },
    apply(s, a, next) {
      next[2 * a.thread] = s[2 * a.thread] + 1;
      if (a.choice === 1) next[2 * a.thread + 1] = 1;
    },
    threadDone: (s, t) => s[2 * t] === 2,
    invariants: opts.limit === undefined ? [] : [{
      name: 'few_set',
      description: `fewer than ${opts.limit} threads end with b set`,
      check: (s) => {
        let n = 0;
        for (let t = 0; t < k; t++) if (s[2 * t] === 2 && s[2 * t + 1] === 1) n++;
        return n >= opts.limit! ? `${n} threads ended with b set` : null;
      },
    }],
    ...(opts.declare === false ? {} : { symmetry: [{ slots: Array.from({ length: k }, (_, t) => [2 * t, 2 * t + 1]) }] }),
  };
}

const binom = (n: number, r: number): number => (r === 0 ? 1 : (binom(n - 1, r - 1) * n) / r);

// The progress pass (which explores without reductions) is off: symmetry is what is measured.
describe('symmetry groups of more than five members (canonicalised by sorting their slots)', () => {
  for (const k of [6, 7]) {
    it(`two-field members: one state per multiset of local states, C(k+4, 4), with the fingerprint and the exact set, BFS and DFS (k = ${k})`, () => {
      for (const visitedSet of [undefined, exactSetFactory]) {
        for (const strategy of ['bfs', 'dfs'] as const) {
          const r = check(pairs(k), { strategy, checkProgress: false, ...(visitedSet ? { visitedSet } : {}) });
          expect(r.verdict).toBe('holds');
          expect(r.stats.reductions!.symmetry).toBe(true);
          expect(r.stats.distinctStates).toBe(binom(k + 4, 4));
        }
      }
    });
  }

  it('a violation needing three members in one local state is found at the shortest depth (6 steps) and replays without the declaration', () => {
    const r = check(pairs(6, { limit: 3 }));
    expect(r.verdict).toBe('violated');
    expect(r.violation!.trace.steps.length).toBe(6);
    expect(replay(pairs(6, { limit: 3, declare: false }), r.violation!.trace).violation?.invariant).toBe('few_set');
    expect(check(pairs(6, { limit: 7 }), { checkProgress: false }).verdict).toBe('holds');
  });

  it('with symmetry off the full 5^k states are explored', () => {
    expect(check(pairs(6), { symmetry: false, checkProgress: false }).stats.distinctStates).toBe(5 ** 6);
  });

  it('into reports a change exactly where the table form moves a field (6 members: own representatives in sorted order, others not)', () => {
    const sys = pairs(6);
    const into = declaredCanonicaliser(sys)!.into;
    const byTable = declaredCanonicaliserByTable(sys)!;
    // The all-zero state and one sorted already (own representatives), one out of order, and
    // 400 more from a fixed arithmetic walk over the ranges (a in 0..2, b in 0..1).
    const examples = [new Int32Array(12), Int32Array.from([0, 0, 0, 1, 1, 0, 1, 1, 2, 0, 2, 1]), Int32Array.from([2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])];
    for (let n = 0; n < 400; n++) examples.push(Int32Array.from({ length: 12 }, (_, i) => ((n * 7 + i * 13 + ((n * i) >> 2)) % (i % 2 === 0 ? 3 : 2))));
    let own = 0;
    for (const s of examples) {
      const rep = Int32Array.from(s);
      byTable(rep);
      const moved = rep.some((v, i) => v !== s[i]);
      const out = new Int32Array(12);
      expect(into(s, out)).toBe(moved);
      if (moved) expect(Array.from(out)).toEqual(Array.from(rep));
      else own++;
    }
    expect(own).toBeGreaterThan(1);
    expect(own).toBeLessThan(examples.length);
  });
});
