import { describe, expect, it } from 'vitest';
import { LevelClock } from '../../explorer/parallel/level-timing.js';

// The parallel search's timing account, on a clock the test moves by hand: every millisecond
// lands in exactly one part, and nothing counts before the threads join.

function fakeClock(start = 1000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => { t += ms; } };
}

describe('LevelClock', () => {
  it('before the threads join, nothing counts: the whole search is solo time and no level is a threaded one', () => {
    const c = fakeClock();
    const clock = new LevelClock(c.now, () => null);
    clock.level();
    clock.begin();
    c.advance(7);
    clock.lap('busy');
    clock.thread(0, 3);
    clock.rehashed(0, false, 2);
    clock.handoff(0.5, 0.25);
    c.advance(5);
    const t = clock.finish();
    expect(t).toEqual({ soloMs: 12, threadedMs: 0, levels: 0, driver: { busyMs: 0, linksMs: 0, waitMs: 0, serialMs: 0 }, growMs: 0, threadBusyMs: [], handoffs: { wakeMs: [], replyMs: [] }, driverCpuMs: null, threadCpuMs: [] });
  });

  it('after the join, laps go to their own parts, the rest of the threaded wall clock is serial, and the driver\'s part of a rehash moves from growth to busy', () => {
    const c = fakeClock();
    const clock = new LevelClock(c.now);
    c.advance(10);            // solo
    clock.join(2);
    for (let level = 0; level < 3; level++) {
      clock.level();
      c.advance(1);           // serial: the frontier hand-off
      clock.begin();
      c.advance(2);
      clock.lap('links');
      c.advance(20);
      clock.lap('busy');
      c.advance(4);
      clock.lap('wait');
      clock.thread(0, 21);
      clock.thread(1, 19);
    }
    c.advance(3);             // growing: allocation
    clock.lap('grow');
    c.advance(8);             // rehash: this thread's part took 6
    clock.lap('grow');
    clock.rehashed(0, false, 7);
    clock.rehashed(1, false, 5);
    clock.rehashed(2, true, 6);
    c.advance(2);             // results
    const t = clock.finish();
    expect(t.soloMs).toBe(10);
    expect(t.threadedMs).toBe(3 * 27 + 11 + 2);
    expect(t.levels).toBe(3);
    expect(t.driver).toEqual({ busyMs: 3 * 20 + 6, linksMs: 3 * 2, waitMs: 3 * 4, serialMs: 3 * 1 + 3 + 2 + 2 });
    expect(t.growMs).toBe(3 + 2);
    expect(t.threadBusyMs).toEqual([3 * 21 + 7, 3 * 19 + 5]);
  });

  it('hand-offs after the join are kept one per round, in order; a latency below 0 (two threads\' clocks read apart) counts as 0', () => {
    const c = fakeClock();
    const clock = new LevelClock(c.now);
    clock.handoff(9, 9);      // solo: not counted
    clock.join(1);
    clock.handoff(0.125, 0.5);
    clock.handoff(-0.002, 2);
    clock.handoff(3, -1);
    expect(clock.finish().handoffs).toEqual({ wakeMs: [0.125, 0, 3], replyMs: [0.5, 2, 0] });
  });

  it('the driver\'s CPU time is its thread\'s over the search; each worker thread\'s is the latest its rounds reported, and only after the join', () => {
    const c = fakeClock();
    let cpu = 500;
    const clock = new LevelClock(c.now, () => cpu);
    clock.threadCpuSoFar(0, 99);   // solo: not counted
    clock.join(2);
    clock.threadCpuSoFar(0, 120);
    clock.threadCpuSoFar(0, 250);
    cpu = 1700;
    const t = clock.finish();
    expect(t.driverCpuMs).toBe(1200);
    expect(t.threadCpuMs).toEqual([250, null]);
    expect(new LevelClock(c.now, () => null).finish().driverCpuMs).toBeNull();
  });
});

