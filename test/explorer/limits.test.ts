import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { check, ModelError, type Progress, type TransitionSystem } from '../../explorer/index.js';
import { counters } from '../fixtures/counters.js';
import { ticking } from './clock.js';

describe('limits and model errors', () => {
  for (const strategy of ['bfs', 'dfs', 'simulate'] as const) {
    it(`a time limit stops a run that is too big with an incomplete verdict, never a pass (${strategy})`, () => {
      // 21^6 = 85.8 million states: far more than 150 ms can explore (each step moves a faked
      // clock on by 0.1 ms: 1,500 steps).
      vi.useFakeTimers({ toFake: ['performance'] });
      vi.advanceTimersByTime(1_000_000); // far from 0: a start time subtracted or added tells
      onTestFinished(() => { vi.useRealTimers(); });
      // Without the progress pass too, which would see the time up after a safety pass that
      // wrongly said holds.
      for (const checkProgress of [true, false]) {
        const r = check(ticking(counters(6, 20)), { strategy, timeLimitMs: 150, walks: 1e9, walkDepth: 200, checkProgress });
        expect(r.verdict).toBe('incomplete');
        expect(r.incompleteReason).toMatch(/time limit of 150 ms/);
        expect(r.incompleteReason!.includes('safety holds')).toBe(false);
        expect(r.stats.elapsedMs).toBeLessThan(5000);
      }
    });
  }

  it('reports progress now and then, at most about twice a second', () => {
    // performance.now() is faked and moved by each step (ticking): exact, and instant.
    vi.useFakeTimers({ toFake: ['performance'] });
    vi.advanceTimersByTime(1_000_000); // far from 0: a start time subtracted or added tells
    onTestFinished(() => { vi.useRealTimers(); });
    const seen: Progress[] = [];
    const r = check(ticking(counters(6, 20)), { timeLimitMs: 600, onProgress: (p) => seen.push(p) });
    expect(seen.length).toBeGreaterThanOrEqual(1);
    expect(seen.length).toBeLessThanOrEqual(Math.ceil(r.stats.elapsedMs / 500));
    expect(seen[seen.length - 1].distinctStates).toBeLessThanOrEqual(r.stats.distinctStates);
  });

  it('maxStates equal to the state count completes; one less is incomplete (bfs and dfs)', () => {
    for (const strategy of ['bfs', 'dfs'] as const) {
      expect(check(counters(2, 4), { strategy, maxStates: 25 }).verdict).toBe('holds');
      const r = check(counters(2, 4), { strategy, maxStates: 24 });
      expect(r.verdict).toBe('incomplete');
      expect(r.stats.distinctStates).toBe(24);
    }
  });

  it('a depth bound below the depth of the space is incomplete, for DFS too', () => {
    expect(check(counters(2, 4), { strategy: 'dfs', maxDepth: 7 }).verdict).toBe('incomplete');
    expect(check(counters(2, 4), { strategy: 'dfs', maxDepth: 8 }).verdict).toBe('holds');
  });

  it('a model writing a value outside its field range is a ModelError naming the field, not a violation', () => {
    const base = counters(2, 3);
    const sys: TransitionSystem = { ...base, apply: (_s, a, next) => { next[a.thread] += 2; } };
    expect(() => check(sys)).toThrow(ModelError);
    expect(() => check(sys)).toThrow(/field counter\[0\] = 4 is outside its declared range \[0, 3\]/);
  });
});
