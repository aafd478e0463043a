import type { TransitionSystem } from '../explorer/index.js';

/**
 * The benchmark model: k counters 0..n, thread i increments counter i only while it leads
 * counter i+1 (cyclically) by less than `lead`. The coupling keeps the model from being a
 * plain product while leaving millions of states; it is written the way a model should be for
 * speed (no allocation in actions/apply).
 */
export function coupledCounters(k: number, n: number, lead: number): TransitionSystem {
  return {
    fields: Array.from({ length: k }, (_, i) => ({ name: `counter[${i}]`, min: 0, max: n })),
    threads: Array.from({ length: k }, (_, i) => `t${i}`),
    labels: Array.from({ length: k }, (_, i) => `inc${i}`),
    initialStates: () => [new Int32Array(k)],
    actions(s, sink) {
      for (let t = 0; t < k; t++) {
        const c = s[t];
        if (c < n && c - s[t + 1 === k ? 0 : t + 1] < lead) sink.push(t, t, 0);
      }
    },
    apply(_s, a, next) {
      next[a.thread]++;
    },
    threadDone: (s, t) => s[t] === n || s[t] - s[t + 1 === k ? 0 : t + 1] >= lead,
    invariants: [{
      name: 'bounded',
      description: 'no counter passes n',
      check: (s) => {
        for (let i = 0; i < k; i++) if (s[i] > n) return `counter ${i} passed ${n}`;
        return null;
      },
    }],
  };
}
