import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { check, type TransitionSystem } from '../../explorer/index.js';
import { ticking } from './clock.js';

/**
 * Two interchangeable threads, each counting its own pc from 0 to 6 (done at 6), declared
 * symmetric: 28 orbits (pairs a <= b), 48 transitions between representatives. On a faked
 * clock that every step moves on by 0.1 ms, the safety pass takes 4.8 ms, reading the clock
 * once (every 1,024 states); the progress pass on the quotient reads it at its first state.
 * A time limit of 1 ms is noticed there: `incomplete`, never `holds` (the quotient that ran out
 * of time has shown nothing).
 */
const pair: TransitionSystem = {
  fields: [{ name: 'pc[0]', min: 0, max: 6 }, { name: 'pc[1]', min: 0, max: 6 }],
  threads: ['t0', 't1'],
  labels: ['step'],
  initialStates: () => [Int32Array.of(0, 0)],
  actions(s, sink) { for (let t = 0; t < 2; t++) if (s[t] < 6) sink.push(t, 0, 0); },
  apply(s, a, next) { next[a.thread] = s[a.thread] + 1; },
  threadDone: (s, t) => s[t] === 6,
  invariants: [],
  symmetry: [{ slots: [[0], [1]] }],
};

describe('the progress pass on the symmetry quotient and the clock', () => {
  beforeEach(() => { vi.useFakeTimers({ toFake: ['performance'] }); vi.advanceTimersByTime(1_000_000); });
  afterEach(() => { vi.useRealTimers(); });

  it('a quotient that runs out of time gives incomplete, naming the time limit and the quotient', () => {
    const whole = check(ticking(pair), {});
    expect(whole.verdict).toBe('holds');
    expect(whole.stats.distinctStates).toBe(28);
    expect(whole.stats.progress).toMatchObject({ quotient: true, states: 28 });
    expect(whole.stats.elapsedMs).toBeCloseTo(4.8, 3);
    const r = check(ticking(pair), { timeLimitMs: 1 });
    expect(r.verdict).toBe('incomplete');
    expect(r.incompleteReason).toMatch(/^safety holds; progress not checked: time limit .*symmetry quotient/);
  });
});
