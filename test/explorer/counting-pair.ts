import type { TransitionSystem } from '../../explorer/index.js';

/**
 * Two threads, each counting its own pc from 0 to 6 (done at 6): 49 states; declared symmetric,
 * 28 orbits (pairs a <= b) with 48 transitions between representatives.
 */
export function countingPair(symmetric: boolean): TransitionSystem {
  return {
    fields: [{ name: 'pc[0]', min: 0, max: 6 }, { name: 'pc[1]', min: 0, max: 6 }],
    threads: ['t0', 't1'],
    labels: ['step'],
    initialStates: () => [Int32Array.of(0, 0)],
    actions(s, sink) { for (let t = 0; t < 2; t++) if (s[t] < 6) sink.push(t, 0, 0); },
    apply(s, a, next) { next[a.thread] = s[a.thread] + 1; },
    threadDone: (s, t) => s[t] === 6,
    invariants: [],
    ...(symmetric ? { symmetry: [{ slots: [[0], [1]] }] } : {}),
  };
}
