import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { check } from '../../explorer/index.js';
import { ticking } from './clock.js';
import { countingPair } from './counting-pair.js';

/**
 * Two interchangeable threads, each counting its own pc from 0 to 6 (done at 6), declared
 * symmetric: 28 orbits (pairs a <= b), 48 transitions between representatives. On a faked
 * clock that every step moves on by 0.1 ms, the safety pass takes 4.8 ms, reading the clock
 * once (every 1,024 states); the progress pass on the quotient reads it at its first state.
 * A time limit of 1 ms is noticed there: `incomplete`, never `holds` (the quotient that ran out
 * of time has shown nothing).
 */
const pair = countingPair(true);

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
