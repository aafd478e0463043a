import type { StateVector, TransitionSystem } from '../../explorer/index.js';
import { applyAction, collectActions, referenceExplore } from './reference.js';

export const key = (s: StateVector) => JSON.stringify(Array.from(s));

/** Naive ground truth: the reachable states from which no state where every thread is done
 *  (or the model is quiescent, or nothing is enabled) can be reached, by a search from each. */
export function naiveStuck(sys: TransitionSystem): Set<string> {
  const all = referenceExplore(sys, false).states;
  const finished = (s: StateVector) => sys.quiescent?.(s) === true || collectActions(sys, s).length === 0 ||
    sys.threads.every((_, t) => sys.threadDone(s, t));
  const stuck = new Set<string>();
  for (const k of all.keys()) {
    const seen = new Set([k]);
    const todo: StateVector[] = [Int32Array.from(JSON.parse(k) as number[])];
    let ok = false;
    while (todo.length > 0 && !ok) {
      const s = todo.pop()!;
      if (finished(s)) { ok = true; break; }
      for (const a of collectActions(sys, s)) {
        const n = applyAction(sys, s, a).next;
        if (!seen.has(key(n))) { seen.add(key(n)); todo.push(n); }
      }
    }
    if (!ok) stuck.add(k);
  }
  return stuck;
}

