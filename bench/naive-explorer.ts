import v8 from 'node:v8';
import vm from 'node:vm';
import type { Action, StateVector, TransitionSystem } from '../explorer/index.js';

// A full collection before each heap reading, so the figure is what the visited map retains.
v8.setFlagsFromString('--expose-gc');
const collect = vm.runInNewContext('gc') as () => void;

/**
 * The yardstick: BFS with a Map<string, parent key> as the visited set and states kept as
 * arrays, the way a first explorer is usually written. Same model calls as the engine.
 */
export function naiveExplore(sys: TransitionSystem): { distinctStates: number; elapsedMs: number; heapBytes: number } {
  collect();
  const heapBefore = process.memoryUsage().heapUsed;
  const start = performance.now();
  const visited = new Map<string, string | null>();
  let frontier: StateVector[] = [];
  for (const s of sys.initialStates()) {
    const key = s.join(',');
    if (!visited.has(key)) {
      visited.set(key, null);
      frontier.push(s);
    }
  }
  while (frontier.length > 0) {
    const next: StateVector[] = [];
    for (const s of frontier) {
      const acts: Action[] = [];
      sys.actions(s, { push: (thread, label, choice) => acts.push({ thread, label, choice }) });
      const parentKey = s.join(',');
      for (const a of acts) {
        const t = Int32Array.from(s);
        sys.apply(s, a, t, { fail: () => {} });
        const key = t.join(',');
        if (visited.has(key)) continue;
        for (const inv of sys.invariants) inv.check(t);
        visited.set(key, parentKey);
        next.push(t);
      }
    }
    frontier = next;
  }
  const elapsedMs = performance.now() - start;
  frontier = [];
  // `visited` is still alive here: the difference is what it retains.
  collect();
  const heapBytes = process.memoryUsage().heapUsed - heapBefore;
  return { distinctStates: visited.size, elapsedMs, heapBytes };
}
