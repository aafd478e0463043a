import { describe, expect, it } from 'vitest';
import { check, replay } from '../../explorer/index.js';
import { philosophers } from '../fixtures/philosophers.js';
import { referenceExplore } from './reference.js';

describe('dining philosophers', () => {
  for (const n of [3, 4, 5]) {
    it(`left-fork-first deadlocks with every philosopher holding one fork (n=${n}), shortest trace n steps`, () => {
      const sys = philosophers(n);
      const r = check(sys);
      expect(r.verdict).toBe('violated');
      const v = r.violation!;
      expect(v.kind).toBe('deadlock');
      expect(v.trace.steps.length).toBe(n);
      expect(v.trace.steps.length).toBe(referenceExplore(sys).shortestViolation);
      const rep = replay(sys, v.trace);
      expect(rep.violation?.kind).toBe('deadlock');
      const last = rep.states[rep.states.length - 1];
      expect(Array.from(last.subarray(0, n))).toEqual(Array(n).fill(1));
      expect(check(sys, { strategy: 'dfs' }).violation?.kind).toBe('deadlock');
    });

    it(`ordered forks hold, every terminal state has all forks free, counts match the reference (n=${n})`, () => {
      const sys = philosophers(n, { ordered: true });
      const ref = referenceExplore(sys);
      expect(ref.shortestViolation).toBe(-1);
      for (const strategy of ['bfs', 'dfs'] as const) {
        const r = check(sys, { strategy });
        expect(r.verdict).toBe('holds');
        expect(r.stats.distinctStates).toBe(ref.states.size);
      }
    });
  }

  it('with deadlock checking off, the naive variant holds (its only flaw is the deadlock)', () => {
    const r = check(philosophers(4), { checkDeadlock: false });
    expect(r.verdict).toBe('holds');
    expect(r.stats.distinctStates).toBe(referenceExplore(philosophers(4), false).states.size);
  });
});
