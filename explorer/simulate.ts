import type { CheckResult } from './result.js';
import type { Search } from './search.js';
import { SeededRandom } from './random.js';
import { rebuildTrace } from './trace.js';
import { simulationReason, stateLimitReason, timeLimitReason } from './incomplete.js';

/**
 * Seeded random simulation for configurations too large to exhaust: `walks` walks, each from
 * a random initial state taking a uniformly random enabled action per step, for at most
 * `walkDepth` steps (or `maxDepth`, if smaller). The same seed gives the same walks. States are
 * fingerprinted only to count distinct states and to check each state's invariants once.
 * Without a violation the verdict is `incomplete`: a walk is evidence, never a proof.
 */
export function simulate(search: Search): CheckResult {
  const { opts } = search;
  const rng = new SeededRandom(opts.seed);
  const inits = search.initialStates();
  const scratch = new Uint32Array(search.words);
  for (let i = 0; i < inits.length; i++) {
    if (search.addIfNew(inits[i], scratch, 0) && !search.invariantsHold(inits[i])) {
      return search.result('violated', { violation: search.violation({ initial: i, steps: [] }) });
    }
  }
  if (inits.length === 0) return search.result('holds');

  const depthBound = Math.min(opts.walkDepth, opts.maxDepth);
  const cur = search.cur;
  const next = search.next;
  // Stryker disable next-line ArrayDeclaration: emptied at the start of every walk before it is used
  const path: number[] = [];
  let cutShort = 0;
  for (let w = 0; w < opts.walks; w++) {
    if (search.poll(0, 0)) return search.result('incomplete', { incompleteReason: timeLimitReason(opts.timeLimitMs) });
    if (search.visited.size >= opts.maxStates) {
      return search.result('incomplete', { incompleteReason: stateLimitReason(opts.maxStates) });
    }
    const initial = rng.below(inits.length);
    cur.set(inits[initial]);
    path.length = 0;
    for (let d = 0; ; d++) {
      const n = search.enumerate(cur);
      if (n === 0) {
        if (!search.quiescentStateOk(cur)) {
          return search.result('violated', { violation: search.violation(rebuildTrace(search.system, initial, path)) });
        }
        break;
      }
      if (d >= depthBound) {
        cutShort++;
        break;
      }
      const k = rng.below(n);
      path.push(k);
      const stepOk = search.step(k);
      if (!stepOk || (search.addIfNew(next, scratch, 0) && !search.invariantsHold(next))) {
        return search.result('violated', { violation: search.violation(rebuildTrace(search.system, initial, path)) });
      }
      // Stryker disable next-line EqualityOperator: `>=` stores the same depth again
      if (d + 1 > search.maxDepthSeen) search.maxDepthSeen = d + 1;
      cur.set(next);
    }
  }
  return search.result('incomplete', { incompleteReason: simulationReason(opts.walks, depthBound, cutShort) });
}
