import { describe, expect, it } from 'vitest';
import { check, replay } from '../../explorer/index.js';
import { peterson } from '../fixtures/peterson.js';
import { referenceExplore } from './reference.js';

describe("Peterson's mutual exclusion", () => {
  for (const rounds of [1, 2, 3]) {
    it(`holds, with the reachable-state count of a naive reference explorer (rounds=${rounds})`, () => {
      const sys = peterson({ rounds });
      const ref = referenceExplore(sys);
      expect(ref.shortestViolation).toBe(-1);
      for (const strategy of ['bfs', 'dfs'] as const) {
        const r = check(sys, { strategy });
        expect(r.verdict).toBe('holds');
        expect(r.stats.distinctStates).toBe(ref.states.size);
      }
    });
  }

  it('the broken variant is caught with a shortest trace that replays to both threads in the critical section', () => {
    const sys = peterson({ broken: true });
    const ref = referenceExplore(sys);
    const r = check(sys);
    expect(r.verdict).toBe('violated');
    const v = r.violation!;
    expect(v.invariant).toBe('mutual_exclusion');
    expect(v.trace.steps.length).toBe(ref.shortestViolation);
    const rep = replay(sys, v.trace);
    expect(rep.divergence).toBeUndefined();
    expect(rep.violation).toMatchObject({ step: v.trace.steps.length, kind: 'invariant', invariant: 'mutual_exclusion' });
    const last = rep.states[rep.states.length - 1];
    expect([last[0], last[1]]).toEqual([3, 3]);
  });

  it('DFS also catches the broken variant', () => {
    const r = check(peterson({ broken: true }), { strategy: 'dfs' });
    expect(r.verdict).toBe('violated');
    expect(replay(peterson({ broken: true }), r.violation!.trace).violation?.invariant).toBe('mutual_exclusion');
  });
});
