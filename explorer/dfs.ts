import type { CheckResult } from './result.js';
import type { Search } from './search.js';
import { StateStack } from './state-stack.js';
import { NO_PARENT } from './parent-links.js';
import { depthBoundReason, stateLimitReason, timeLimitReason } from './incomplete.js';

/**
 * Depth-first search with an optional depth bound. Successors are checked when generated and
 * pushed; the most recent is expanded first. Counterexamples are real paths (rebuilt from the
 * parent links) but not necessarily shortest.
 *
 * A state first reached deep and later by a shorter path is not expanded again, so with a
 * depth bound some states below the bound may be missed; that only happens when the bound
 * cut something, and then the verdict is `incomplete` anyway.
 */
export function dfs(search: Search): CheckResult {
  const { links, opts } = search;
  const W = search.words;
  const stack = new StateStack(search.words);
  const inits = search.initialStates();
  for (let i = inits.length - 1; i >= 0; i--) {
    const slot = stack.slotOffset(); // may grow stack.data: read the array after it
    if (!search.addIfNew(inits[i], stack.data, slot)) continue;
    if (!search.invariantsHold(inits[i])) {
      return search.result('violated', { violation: search.violation({ initial: i, steps: [] }) });
    }
    if (links.size >= opts.maxStates) return search.result('incomplete', { incompleteReason: stateLimitReason(opts.maxStates) });
    stack.commit(links.push(NO_PARENT, i), 0);
  }

  const cur = search.cur;
  let truncated = false;
  let expanded = 0;
  while (stack.length > 0) {
    const off = stack.pop();
    const id = stack.data[off - 2];
    const depth = stack.data[off - 1];
    search.loadState(stack.data, off);
    // Stryker disable next-line ConditionalExpression,EqualityOperator,UpdateOperator: how often the clock is read (every 1024 expansions); polling more or less often changes only when a time limit is noticed
    if ((++expanded & 1023) === 0 && search.poll(stack.length, depth)) {
      return search.result('incomplete', { incompleteReason: timeLimitReason(opts.timeLimitMs) });
    }
    const n = search.enumerate(cur);
    if (n === 0) {
      if (!search.quiescentStateOk(cur)) return search.result('violated', { violation: search.violationAt(id) });
      continue;
    }
    if (depth >= opts.maxDepth) {
      truncated = true;
      continue;
    }
    const ample = search.ampleThread();
    for (let pass = 0; pass < 2; pass++) {
      const m = search.successors(ample, pass === 0);
      // Stryker disable next-line EqualityOperator: m is 0 only if a pass had nothing to expand: the second pass always has another thread's actions (an ample thread is chosen only when two threads are enabled); `>=` fails every test
      if (m < 0) return search.result('violated', { violation: search.violationAt(id, search.findingAction) });
      const succNew = search.succNew;
      for (let j = 0; j < m; j++) {
        if (succNew[j] === 0) continue;
        if (links.size >= opts.maxStates) {
          return search.result('incomplete', { incompleteReason: stateLimitReason(opts.maxStates) });
        }
        const slot = stack.slotOffset(); // may grow stack.data: read the array after it
        const from = search.succWords, data = stack.data;
        // Stryker disable next-line EqualityOperator: `<=` also writes the word after the slot, the next entry's id, which its commit overwrites; `>=` copies nothing and fails every test
        for (let w = 0; w < W; w++) data[slot + w] = from[j * W + w];
        stack.commit(links.push(id, search.succAction[j]), depth + 1);
        // Stryker disable next-line EqualityOperator: `>=` stores the same depth again
        if (depth + 1 > search.maxDepthSeen) search.maxDepthSeen = depth + 1;
      }
      if (ample < 0 || !search.revisited) break;
    }
  }
  if (truncated) return search.result('incomplete', { incompleteReason: depthBoundReason(opts.maxDepth) });
  return search.result('holds');
}
