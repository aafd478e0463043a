import { describe, expect, it } from 'vitest';
import type { StateVector, TransitionSystem } from '../../explorer/index.js';
import { allScenarios, buildSystem } from '../../scenarios/zsmalloc/index.js';
import { viewCounterexamples } from '../explorer/view-audit.js';

/** The first `limit` reachable states in BFS order (steps that fail are not followed). */
function reachable(sys: TransitionSystem, limit: number): StateVector[] {
  const seen = new Set<string>();
  const queue = sys.initialStates();
  for (const s of queue) seen.add(s.join(','));
  for (let i = 0; i < queue.length && queue.length < limit; i++) {
    const s = queue[i];
    const acts: [number, number, number][] = [];
    sys.actions(s, { push: (thread, label, choice) => acts.push([thread, label, choice]) });
    for (const [thread, label, choice] of acts) {
      const next = Int32Array.from(s);
      let failed = false;
      sys.apply(s, { thread, label, choice }, next, { fail: () => { failed = true; } });
      const k = next.join(',');
      if (failed || seen.has(k)) continue;
      seen.add(k);
      queue.push(next);
    }
  }
  return queue.slice(0, limit);
}

describe('zsmalloc invariants read program counters only through their declared views', () => {
  for (const scenario of allScenarios()) {
    for (const design of scenario.designs) {
      it(`${scenario.id} under ${design}: swapping a thread's pc for another of the same view class never changes a verdict`, () => {
        const sys = buildSystem({ scenario, design });
        // 48 states spread over the first 2,000 reached (deep ones hold zspages being freed).
        const all = reachable(sys, 2000);
        const states = all.filter((_, i) => i % Math.ceil(all.length / 48) === 0);
        const found = sys.invariants.filter((i) => i.views !== undefined).flatMap((i) => viewCounterexamples(i, states, (f) => sys.fields[f].max, 3));
        expect(found).toEqual([]);
      }, 120_000);
    }
  }
});
