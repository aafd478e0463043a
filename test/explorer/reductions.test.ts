import { describe, expect, it } from 'vitest';
import { check, exactSetFactory, replay } from '../../explorer/index.js';
import { lockWorkers } from '../fixtures/lock-workers.js';
import { counters } from '../fixtures/counters.js';
import { confirmsViolation, referenceExplore } from './reference.js';

describe('partial-order reduction', () => {
  for (const strategy of ['bfs', 'dfs'] as const) {
    it(`explores fewer states and keeps the verdict: holds for the locked workers (${strategy})`, () => {
      const sys = lockWorkers(3, 3);
      const full = check(sys, { strategy, partialOrder: false });
      const por = check(sys, { strategy, partialOrder: true });
      expect(full.stats.distinctStates).toBe(referenceExplore(sys).states.size);
      expect(full.verdict).toBe('holds');
      expect(por.verdict).toBe('holds');
      expect(por.stats.distinctStates).toBeLessThan(full.stats.distinctStates / 2);
    });

    it(`explores fewer states and keeps the verdict: the lock-ignoring workers are caught (${strategy})`, () => {
      const sys = lockWorkers(3, 3, { broken: true });
      const por = check(sys, { strategy, partialOrder: true });
      expect(check(sys, { strategy, partialOrder: false }).verdict).toBe('violated');
      expect(por.verdict).toBe('violated');
      expect(por.violation!.invariant).toBe('one_in_critical_section');
      expect(confirmsViolation(sys, por.violation!)).toBe(true);
      expect(replay(sys, por.violation!.trace).violation?.invariant).toBe('one_in_critical_section');
    });
  }

  it('keeps a deadlock: workers that never release the lock', () => {
    const base = lockWorkers(2, 2);
    const sys = { ...base, apply: (s: Int32Array, a: { thread: number; label: number; choice: number }, next: Int32Array, ctx: { fail(i: string, m: string): void }) => {
      base.apply(s, a, next, ctx);
      if (a.label === 2) { next[2] = s[2]; next[3] = s[3]; } // unlock forgets to release
    } };
    const r = check(sys, { partialOrder: true });
    expect(r.verdict).toBe('violated');
    expect(r.violation!.kind).toBe('deadlock');
    expect(confirmsViolation(sys, r.violation!)).toBe(true);
  });
});

describe('symmetry reduction', () => {
  it('counts one state per orbit and gives the same verdict as the full search', () => {
    const plain = check(counters(3, 5, { limit: 20 }));
    const sym = check(counters(3, 5, { symmetric: true, limit: 20 }), { symmetry: true });
    expect(plain.verdict).toBe('holds');
    expect(sym.verdict).toBe('holds');
    expect(sym.stats.distinctStates).toBe(56); // C(5+3, 3) multisets
    const exact = check(counters(3, 5, { symmetric: true }), { symmetry: true, visitedSet: exactSetFactory });
    expect(exact.stats.distinctStates).toBe(56);
    const bad = counters(3, 5, { symmetric: true, limit: 12 });
    const r = check(bad, { symmetry: true });
    expect(r.verdict).toBe('violated');
    expect(r.violation!.trace.steps.length).toBe(12);
    expect(replay(bad, r.violation!.trace).violation?.invariant).toBe('sum_below_limit');
  });
});
