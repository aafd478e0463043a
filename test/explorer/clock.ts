import { vi } from 'vitest';
import type { TransitionSystem } from '../../explorer/index.js';

/** `sys` whose every step moves a faked clock (vi.useFakeTimers({ toFake: ['performance'] }))
 *  on by `ms`: a search of it reaches its time limit and progress intervals after a known
 *  number of steps, without waiting. */
export function ticking(sys: TransitionSystem, ms = 0.1): TransitionSystem {
  return {
    ...sys,
    apply(s, a, next, ctx) {
      vi.advanceTimersByTime(ms);
      sys.apply(s, a, next, ctx);
    },
  };
}
