import { describe, expect, it } from 'vitest';
import { check, exactSetFactory } from '../../explorer/index.js';
import { counters } from '../fixtures/counters.js';

const binom = (n: number, k: number): number => {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
};

describe('k independent counters 0..n', () => {
  for (const [k, n] of [[1, 5], [2, 3], [3, 4], [4, 6]] as const) {
    for (const strategy of ['bfs', 'dfs'] as const) {
      it(`${strategy} finds exactly (n+1)^k states, k*n*(n+1)^(k-1) transitions, depth k*n (k=${k}, n=${n})`, () => {
        const r = check(counters(k, n), { strategy });
        expect(r.verdict).toBe('holds');
        expect(r.stats.distinctStates).toBe((n + 1) ** k);
        expect(r.stats.transitions).toBe(k * n * (n + 1) ** (k - 1));
        if (strategy === 'bfs') expect(r.stats.maxDepth).toBe(k * n);
        expect(r.coverage).toEqual(Array(k).fill(n * (n + 1) ** (k - 1)));
      });
    }
  }

  it('the exact visited set and the fingerprint set agree on the count', () => {
    const a = check(counters(3, 9), { visitedSet: exactSetFactory });
    const b = check(counters(3, 9));
    expect(a.stats.distinctStates).toBe(1000);
    expect(b.stats.distinctStates).toBe(1000);
    expect(a.stats.collisionProbability).toBe(0);
    expect(b.stats.collisionProbability).toBeGreaterThan(0);
  });

  it('the visited structure costs at most 24 bytes per state once large (fingerprints + parent links)', () => {
    const r = check(counters(4, 15), { checkProgress: false }); // 65536 states
    expect(r.stats.visitedBytes / r.stats.distinctStates).toBeLessThanOrEqual(24);
  });

  it('symmetry (sorting interchangeable counters) leaves one state per multiset: C(n+k, k)', () => {
    for (const strategy of ['bfs', 'dfs'] as const) {
      const r = check(counters(3, 4, { symmetric: true }), { strategy, symmetry: true });
      expect(r.verdict).toBe('holds');
      expect(r.stats.distinctStates).toBe(binom(4 + 3, 3));
    }
  });

  it('a violation found under symmetry has a trace of concrete steps reaching the violating sum', () => {
    const r = check(counters(3, 4, { symmetric: true, limit: 7 }), { symmetry: true });
    expect(r.verdict).toBe('violated');
    expect(r.violation!.trace.steps.length).toBe(7);
  });
});
