import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { check, type Progress } from '../../explorer/index.js';
import { counters } from '../fixtures/counters.js';
import { ticking } from './clock.js';

// The progress pass after a safety pass that holds, on a faked clock that every step moves on
// by 0.1 ms: counters 4x6 has 7^4 = 2,401 states and 4 * 6 * 7^3 = 8,232 transitions, so a pass
// that steps every transition takes about 823 ms of that clock. After a depth-first safety
// search the progress pass builds its graph, stepping every transition again; after a
// breadth-first one it reads the graph that search recorded, stepping nothing.

describe('the progress pass and the clock', () => {
  // The faked clock starts far from 0, so a start time subtracted or added tells.
  beforeEach(() => { vi.useFakeTimers({ toFake: ['performance'] }); vi.advanceTimersByTime(1_000_000); });
  afterEach(() => { vi.useRealTimers(); });

  it('the time limit covers both passes: a safety pass of 823 ms under a 1,000 ms limit leaves the progress pass 177 ms, which it overruns: incomplete, safety holds', () => {
    const r = check(ticking(counters(4, 6)), { timeLimitMs: 1000, strategy: 'dfs' });
    expect(r.stats.distinctStates).toBe(7 ** 4);
    expect(r.verdict).toBe('incomplete');
    expect(r.incompleteReason).toMatch(/^safety holds; progress not checked: .*time limit of 1000 ms/);
    // With room for both, it holds.
    expect(check(ticking(counters(4, 6)), { timeLimitMs: 2000, strategy: 'dfs' }).verdict).toBe('holds');
  });

  it('after a breadth-first safety pass the progress pass steps no transition: 823 ms of safety, 0 ms of progress, holds within a 1,000 ms limit', () => {
    const r = check(ticking(counters(4, 6)), { timeLimitMs: 1000 });
    expect(r.verdict).toBe('holds');
    expect(r.stats.elapsedMs).toBeCloseTo(823.2, 3);
    expect(r.stats.progress).toMatchObject({ states: 7 ** 4, edges: 8232, quotient: false });
    expect(r.stats.progress!.elapsedMs).toBe(0);
  });

  it('the progress pass reports progress too: the graph\'s states, edges and queue, at the safety pass\'s depth, after its time', () => {
    const seen: Progress[] = [];
    const r = check(ticking(counters(4, 6)), { onProgress: (p) => seen.push({ ...p }), strategy: 'dfs' });
    expect(r.verdict).toBe('holds');
    // Each pass took its 8,232 steps of 0.1 ms.
    expect(r.stats.elapsedMs).toBeCloseTo(823.2, 3);
    expect(r.stats.progress!.elapsedMs).toBeCloseTo(823.2, 3);
    const safetyMs = r.stats.elapsedMs;
    const graph = seen.filter((p) => p.elapsedMs > safetyMs);
    expect(graph.length).toBeGreaterThanOrEqual(1);
    for (const p of graph) {
      expect(p.depth).toBe(24);
      expect(p.distinctStates).toBeGreaterThan(1024);
      expect(p.distinctStates).toBeLessThanOrEqual(7 ** 4);
      expect(p.transitions).toBeLessThanOrEqual(8232);
      expect(p.transitions).toBeGreaterThan(0);
      expect(p.queued).toBeLessThan(p.distinctStates);
      expect(p.elapsedMs).toBeLessThanOrEqual(safetyMs + r.stats.progress!.elapsedMs);
    }
  });
});
