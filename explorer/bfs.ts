import type { CheckResult } from './result.js';
import type { Finding, Search } from './search.js';
import { StateQueue } from './state-queue.js';
import { NO_PARENT } from './parent-links.js';
import { depthBoundReason, stateLimitReason, timeLimitReason } from './incomplete.js';
import type { GraphRecorder } from './state-graph.js';

/**
 * Breadth-first search: states are expanded level by level, ids are given in discovery order
 * and the queue holds packed states in that same order (so a state's id is its queue
 * position and needs no storing).
 *
 * Counterexamples are shortest: a violation found while expanding level d (a bad successor
 * or a bad transition, length d + 1) is held until the rest of level d has been scanned for
 * deadlocked or terminal-property states, which are length d and win. (With partialOrder the
 * reduced graph may lack the shortest path, so traces are then only short, not shortest.)
 *
 * With `graph`, the search also records the reachable graph for the progress pass (see
 * GraphRecorder), which then need not explore it again.
 */
export function bfs(search: Search, graph: GraphRecorder | null = null): CheckResult {
  const { links, opts } = search;
  const W = search.words;
  const queue = new StateQueue(search.words);
  const inits = search.initialStates();
  for (let i = 0; i < inits.length; i++) {
    if (!search.addIfNew(inits[i], queue.tail, queue.tailOffset)) continue;
    graph?.initial(search.addedHi, search.addedLo, i);
    if (!search.invariantsHold(inits[i])) {
      return search.result('violated', { violation: search.violation({ initial: i, steps: [] }) });
    }
    if (links.size >= opts.maxStates) return search.result('incomplete', { incompleteReason: stateLimitReason(opts.maxStates) });
    links.push(NO_PARENT, i);
    queue.commit();
  }

  const cur = search.cur;
  let depth = 0;
  let levelEnd = links.size;
  let truncated = false;
  // Stryker disable next-line UnaryOperator: assigned before it is read (when pending is set)
  let pendingFrom = -1;
  // Stryker disable next-line UnaryOperator: assigned before it is read (when pending is set)
  let pendingIndex = -1;
  let pending: Finding | null = null;

  for (let id = 0; queue.shift(); id++) {
    if (id === levelEnd) {
      if (pending !== null) break;
      depth++;
      levelEnd = links.size;
    }
    // Stryker disable next-line ConditionalExpression,EqualityOperator: how often the clock is read (every 1024 states); polling more or less often changes only when a time limit is noticed
    if ((id & 1023) === 0 && search.poll(queue.length, depth)) {
      if (pending !== null) break;
      return search.result('incomplete', { incompleteReason: timeLimitReason(opts.timeLimitMs) });
    }
    search.loadState(queue.head, queue.headOffset);
    const n = search.enumerate(cur);
    if (n === 0) {
      if (!search.quiescentStateOk(cur)) return search.result('violated', { violation: search.violationAt(id) });
      graph?.expand(id, cur, search.buf, 0, search.successorHi, search.successorLo, search.succAction, search.succNew);
      continue;
    }
    if (pending !== null) continue;
    if (depth >= opts.maxDepth) {
      truncated = true;
      continue;
    }
    const ample = search.ampleThread();
    // An ample set keeps only some of the state's edges: the graph would not be the full one.
    if (ample >= 0) graph?.drop();
    // Pass 0 expands the ample thread (or everything); pass 1 the rest, when the cycle
    // proviso demands full expansion.
    for (let pass = 0; pass < 2; pass++) {
      const m = search.successors(ample, pass === 0);
      // Stryker disable next-line EqualityOperator: m is 0 only in the proviso's second pass, when no finding exists (pending stays null); `>=` fails every test
      if (m < 0) {
        pending = search.finding;
        pendingFrom = id;
        pendingIndex = search.findingAction;
        break;
      }
      const succNew = search.succNew;
      graph?.expand(id, cur, search.buf, m, search.successorHi, search.successorLo, search.succAction, succNew);
      for (let j = 0; j < m; j++) {
        if (succNew[j] === 0) continue;
        if (links.size >= opts.maxStates) {
          return search.result('incomplete', { incompleteReason: stateLimitReason(opts.maxStates) });
        }
        links.push(id, search.succAction[j]);
        // Stryker disable next-line ConditionalExpression,EqualityOperator: BFS stores states in nondecreasing depth, so the last depth stored is the deepest
        if (depth + 1 > search.maxDepthSeen) search.maxDepthSeen = depth + 1;
        const from = search.succWords, tail = queue.tail, to = queue.tailOffset;
        // Stryker disable next-line EqualityOperator: `<=` also copies the next successor's first word into the next tail slot, which the next commit overwrites; `>=` copies nothing and fails every test
        for (let w = 0; w < W; w++) tail[to + w] = from[j * W + w];
        queue.commit();
      }
      if (ample < 0 || !search.revisited) break;
    }
  }
  if (pending !== null) {
    search.finding = pending;
    return search.result('violated', { violation: search.violationAt(pendingFrom, pendingIndex) });
  }
  if (truncated) return search.result('incomplete', { incompleteReason: depthBoundReason(opts.maxDepth) });
  return search.result('holds');
}
