import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { check, type TransitionSystem } from '../../explorer/index.js';
import { ticking } from './clock.js';
import { countingPair } from './counting-pair.js';

/**
 * When the progress pass already knows it cannot finish — the safety search counted more states
 * than its limit, or the symmetry quotient ran out of time — it says `incomplete` without
 * building the full graph, which is larger still and under the same limits (explorer/check.ts,
 * checkProgress). Each graph starts from `initialStates()`, so its calls count the graphs: the
 * run with progress must call it exactly as often as the same run with `checkProgress: false`,
 * plus one for a quotient it tried.
 */
function counting(sys: TransitionSystem): { sys: TransitionSystem; calls: () => number } {
  let calls = 0;
  return { sys: { ...sys, initialStates: () => { calls++; return sys.initialStates(); } }, calls: () => calls };
}

/** Two threads, each counting its pc from 0 to 6: 49 states, 28 orbits when declared symmetric. */
const pair = countingPair(false);

describe('the progress pass builds no graph whose answer is already known', () => {
  beforeEach(() => { vi.useFakeTimers({ toFake: ['performance'] }); vi.advanceTimersByTime(1_000_000); });
  afterEach(() => { vi.useRealTimers(); });

  it('a safety search over the progress limit: incomplete, with no progress graph built at all', () => {
    const safetyOnly = counting(pair);
    expect(check(safetyOnly.sys, { checkProgress: false }).verdict).toBe('holds');
    const limited = counting(pair);
    const r = check(limited.sys, { maxProgressStates: 3 });
    expect(r.verdict).toBe('incomplete');
    expect(r.incompleteReason).toMatch(/^safety holds; progress not checked: more than 3 states/);
    expect(limited.calls()).toBe(safetyOnly.calls());
  });

  it('a symmetry quotient that ran out of time: incomplete, and the full graph is not tried after it (depth-first: the quotient built once)', () => {
    const symmetric = countingPair(true);
    const safetyOnly = counting(ticking(symmetric));
    expect(check(safetyOnly.sys, { timeLimitMs: 1, checkProgress: false, strategy: 'dfs' }).verdict).toBe('holds');
    const timed = counting(ticking(symmetric));
    const r = check(timed.sys, { timeLimitMs: 1, strategy: 'dfs' });
    expect(r.verdict).toBe('incomplete');
    expect(r.incompleteReason).toMatch(/^safety holds; progress not checked: time limit .*symmetry quotient/);
    expect(timed.calls()).toBe(safetyOnly.calls() + 1);
  });

  it('breadth-first, the quotient is the one the safety search recorded: no graph is built at all, in time or out of it', () => {
    const symmetric = countingPair(true);
    const safetyOnly = counting(ticking(symmetric));
    expect(check(safetyOnly.sys, { checkProgress: false }).verdict).toBe('holds');
    const inTime = counting(ticking(symmetric));
    expect(check(inTime.sys, {}).stats.progress).toMatchObject({ quotient: true, states: 28 });
    const late = counting(ticking(symmetric));
    const r = check(late.sys, { timeLimitMs: 1 });
    expect(r.verdict).toBe('incomplete');
    expect(r.incompleteReason).toMatch(/^safety holds; progress not checked: time limit .*symmetry quotient/);
    expect([inTime.calls(), late.calls()]).toEqual([safetyOnly.calls(), safetyOnly.calls()]);
  });
});
