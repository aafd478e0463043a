import { describe, expect, it } from 'vitest';
import { check, replay, exactSetFactory, fingerprintSetFactory, StateLayout, type TransitionSystem } from '../../explorer/index.js';
import { confirmsViolation, referenceExplore } from './reference.js';
import { wideCounters } from '../fixtures/wide-counters.js';

/**
 * States that pack into several 32-bit words. Each thread's counter has a 20-bit range, so no
 * two share a word: 3 threads = 3 words, and a difference in the last word alone must make a
 * different state in every strategy and visited set.
 */

const strategies = ['bfs', 'dfs'] as const;
const sets = [['fingerprint', fingerprintSetFactory], ['exact', exactSetFactory]] as const;

describe('multi-word states', () => {
  it('the fixture packs into 3 words', () => {
    expect(new StateLayout(wideCounters(3, 2).fields).wordsPerState).toBe(3);
  });

  for (const strategy of strategies) {
    for (const [setName, visitedSet] of sets) {
      it(`(n+1)^k states, each counter in its own word (${strategy}, ${setName} set)`, () => {
        const sys = wideCounters(3, 3);
        expect(referenceExplore(sys).states.size).toBe(64);
        const r = check(sys, { strategy, visitedSet });
        expect(r.verdict).toBe('holds');
        expect(r.stats.distinctStates).toBe(64);
        expect(r.stats.transitions).toBe(3 * 3 * 16);
      });

      it(`a violation in the last state is found with a full-length trace that replays (${strategy}, ${setName} set)`, () => {
        const sys = wideCounters(3, 2, { bad: true });
        const r = check(sys, { strategy, visitedSet });
        expect(r.verdict).toBe('violated');
        expect(r.violation!.trace.steps.length).toBe(6);
        expect(confirmsViolation(sys, r.violation!)).toBe(true);
        expect(replay(sys, r.violation!.trace).states.at(-1)).toEqual(Int32Array.of(2000, 2000, 2000));
      });

      it(`symmetry counts multisets over multi-word states: C(n+k, k) (${strategy}, ${setName} set)`, () => {
        const r = check(wideCounters(3, 3, { symmetric: true }), { strategy, visitedSet, symmetry: true });
        expect(r.stats.distinctStates).toBe(20);
        const bad = wideCounters(3, 2, { symmetric: true, bad: true });
        const v = check(bad, { strategy, visitedSet, symmetry: true });
        expect(v.verdict).toBe('violated');
        expect(replay(bad, v.violation!.trace).violation?.invariant).toBe('not_all_done');
      });

      it(`partial-order reduction over multi-word states keeps the verdict (${strategy}, ${setName} set)`, () => {
        // Every step local: one thread runs to the end, then the next (the proviso never fires).
        const sys = wideCounters(3, 2, { partialOrder: true, bad: true });
        const r = check(sys, { strategy, visitedSet, partialOrder: true });
        expect(r.verdict).toBe('violated');
        expect(confirmsViolation(sys, r.violation!)).toBe(true);
        const clean = check(wideCounters(3, 2, { partialOrder: true }), { strategy, visitedSet, partialOrder: true });
        expect(clean.stats.distinctStates).toBe(7);
      });
    }
  }

  for (const [setName, visitedSet] of sets) {
    it(`simulation walks multi-word states and finds the violation at the end (${setName} set)`, () => {
      const sys = wideCounters(3, 2, { bad: true });
      const r = check(sys, { strategy: 'simulate', visitedSet, walks: 3 });
      expect(r.verdict).toBe('violated');
      expect(r.violation!.trace.steps.length).toBe(6);
      expect(confirmsViolation(sys, r.violation!)).toBe(true);
      const clean = check(wideCounters(3, 2), { strategy: 'simulate', visitedSet, walks: 300 });
      expect(clean.stats.distinctStates).toBe(27);
    });
  }

  it('states that differ only in their last word are different (the exact set keys every word)', () => {
    // One 32-bit field per word: (1, 36) and (37, 0) must not share a key (base 36: "1"+"10"
    // and "11"+"0").
    const sys: TransitionSystem = {
      fields: [{ name: 'a', min: 0, max: 0x7fffffff }, { name: 'b', min: 0, max: 0x7fffffff }],
      threads: ['t'],
      labels: ['go'],
      initialStates: () => [Int32Array.of(1, 36)],
      actions: (s, sink) => { if (s[0] === 1) sink.push(0, 0, 0); },
      apply: (_s, _a, next) => { next[0] = 37; next[1] = 0; },
      threadDone: () => true,
      invariants: [{ name: 'never_37', description: 'a is never 37', check: (s) => (s[0] === 37 ? 'a is 37' : null) }],
    };
    expect(new StateLayout(sys.fields).wordsPerState).toBe(2);
    for (const strategy of strategies) {
      const r = check(sys, { strategy, visitedSet: exactSetFactory });
      expect(r.verdict).toBe('violated');
      expect(check({ ...sys, invariants: [] }, { strategy, visitedSet: exactSetFactory }).stats.distinctStates).toBe(2);
    }
  });
});

describe('multi-word states, more', () => {
  it('the invariant is checked on the right successor: a bad state reached as the second successor', () => {
    const base = wideCounters(3, 2);
    const sys: TransitionSystem = {
      ...base,
      invariants: [{ name: 'not_0_2000_0', description: 'never (0, 2000, 0)', check: (s) => (s[0] === 0 && s[1] === 2000 && s[2] === 0 ? 'reached (0, 2000, 0)' : null) }],
    };
    for (const strategy of strategies) {
      for (const [, visitedSet] of sets) {
        const r = check(sys, { strategy, visitedSet });
        expect(r.verdict).toBe('violated');
        expect(replay(sys, r.violation!.trace).states.at(-1)).toEqual(Int32Array.of(0, 2000, 0));
      }
    }
  });

  it('more than 16 successors of a multi-word state are all kept', () => {
    const sys = wideCounters(20, 1);
    expect(new StateLayout(sys.fields).wordsPerState).toBe(20);
    // 2^20 states is too many; stop after the first level: 1 + 20 states, 20 transitions.
    const r = check(sys, { maxDepth: 1, visitedSet: exactSetFactory });
    expect(r.stats.distinctStates).toBe(21);
    const f = check(sys, { maxDepth: 1 });
    expect(f.stats.distinctStates).toBe(21);
  });

  it('a BFS over 13^3 = 2197 states of 3 words keeps every one (the queue sizes its chunks by words per state)', () => {
    for (const [, visitedSet] of sets) expect(check(wideCounters(3, 12), { visitedSet }).stats.distinctStates).toBe(2197);
  });
});
