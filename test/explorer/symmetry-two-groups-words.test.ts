import { describe, expect, it } from 'vitest';
import { check, replay, StateLayout, type TransitionSystem } from '../../explorer/index.js';
import { referenceExplore } from './reference.js';

/**
 * Two declared groups over multi-word states (no fused packed canonicaliser applies: it takes
 * one group only), with a field outside both groups in a word of its own. The search packs only
 * the words the groups touch and must copy the others from the state itself: a representative
 * with the untouched word of some other state would merge states of different orbits.
 * Compared with the naive explorer's states sorted by hand within each group.
 */

const WIDE = 1 << 20;
const STEP = 1000;
const N = 2;
const names = ['a0', 'a1', 'b0', 'b1', 'u'];

function twoGroups(bad: boolean): TransitionSystem {
  return {
    fields: names.map((name) => ({ name, min: -WIDE / 2, max: WIDE / 2 })),
    threads: names,
    labels: ['add'],
    initialStates: () => [new Int32Array(names.length)],
    actions(s, sink) {
      for (let t = 0; t < names.length; t++) if (s[t] < N * STEP) sink.push(t, 0, 0);
    },
    apply(_s, a, next) {
      next[a.thread] += STEP;
    },
    threadDone: (s, t) => s[t] === N * STEP,
    // Symmetric in each pair, so every state of an orbit fails alike.
    invariants: bad ? [{
      name: 'never_split_a_with_u_done',
      description: 'the a pair never holds 0 and the end while u is at the end',
      check: (s) => (s[4] === N * STEP && Math.min(s[0], s[1]) === 0 && Math.max(s[0], s[1]) === N * STEP && s[2] === STEP && s[3] === STEP ? 'split' : null),
    }] : [],
    symmetry: [{ slots: [[0], [1]] }, { slots: [[2], [3]] }],
  };
}

/** The orbits by hand: each pair sorted, the untouched field as it is. */
function orbitKey(s: readonly number[]): string {
  return [Math.min(s[0], s[1]), Math.max(s[0], s[1]), Math.min(s[2], s[3]), Math.max(s[2], s[3]), s[4]].join(',');
}

describe('symmetry with two groups over multi-word states', () => {
  it('the fixture packs each field into a word of its own', () => {
    expect(new StateLayout(twoGroups(false).fields).wordsPerState).toBe(5);
  });

  it('counts one state per orbit: the naive explorer\'s states with each pair sorted (6 x 6 x 3 = 108)', () => {
    const sys = twoGroups(false);
    const all = referenceExplore(sys).states;
    expect(all.size).toBe(3 ** 5);
    const orbits = new Set([...all.keys()].map((k) => orbitKey(JSON.parse(k) as number[])));
    expect(orbits.size).toBe(108);
    for (const strategy of ['bfs', 'dfs'] as const) {
      const r = check(sys, { strategy, symmetry: true });
      expect(r.verdict).toBe('holds');
      expect(r.stats.distinctStates).toBe(orbits.size);
    }
  });

  it('finds a violation that only states differing in the untouched word reach, with a trace that replays', () => {
    const sys = twoGroups(true);
    for (const strategy of ['bfs', 'dfs'] as const) {
      const r = check(sys, { strategy, symmetry: true });
      expect(r.verdict).toBe('violated');
      expect(replay(sys, r.violation!.trace).violation?.invariant).toBe('never_split_a_with_u_done');
    }
  });
});
