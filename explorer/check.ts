import { match } from 'ts-pattern';
import type { TransitionSystem } from './system.js';
import type { CheckResult } from './result.js';
import { resolveOptions, type EngineOptions, type ResolvedOptions } from './options.js';
import { Search } from './search.js';
import { bfs } from './bfs.js';
import { dfs } from './dfs.js';
import { simulate } from './simulate.js';
import { checkLiveness, progressOnQuotient, progressPredicates } from './liveness.js';
import { GraphRecorder, type StateGraph } from './state-graph.js';
import { searchCanonicaliser } from './symmetry.js';
import { rebuildTrace } from './trace.js';
import { stateLimitReason, timeLimitReason } from './incomplete.js';

/**
 * Checks a transition system: every state invariant in every reachable state, every action
 * property and StepContext failure on every transition, deadlocks, and terminal properties;
 * then, when all of that holds, progress (non-progress loops and the progress properties, see
 * liveness.ts). A model fault (a field out of range, a nondeterministic model) throws a
 * ModelError.
 */
export function check(system: TransitionSystem, options?: EngineOptions): CheckResult {
  const opts = resolveOptions(options);
  const search = new Search(system, opts);
  // The breadth-first search records the graph the progress pass reads (GraphRecorder).
  const recorder = opts.checkProgress && opts.strategy === 'bfs'
    // Stryker disable next-line MethodExpression: a larger limit only records a graph the pass then refuses (more safety states than its limit)
    ? new GraphRecorder(system, progressPredicates(system), Math.min(opts.maxStates, opts.maxProgressStates)) : null;
  const safety = match(opts.strategy)
    .with('bfs', () => bfs(search, recorder))
    .with('dfs', () => dfs(search))
    .with('simulate', () => simulate(search))
    .exhaustive();
  return withProgress(system, options, safety, recorder?.finish() ?? null);
}

/** The progress pass (when asked for) after a safety search that found nothing: what `check`
 *  does after its own search, and `checkParallel` after a parallel one. `graph`: the graph
 *  that search recorded (the quotient when it used symmetry), else it is built here. */
export function withProgress(system: TransitionSystem, options: EngineOptions | undefined, safety: CheckResult, graph: StateGraph | null = null): CheckResult {
  const opts = resolveOptions(options);
  if (safety.verdict !== 'holds' || !opts.checkProgress) return safety;
  return checkProgress(system, opts, safety, graph);
}

/** The progress pass after a safety `holds`: its verdict replaces `holds` when it finds a
 *  lasso, or when the full graph does not fit in `maxStates` (then nothing is claimed). */
function checkProgress(system: TransitionSystem, opts: ResolvedOptions, safety: CheckResult, recorded: StateGraph | null): CheckResult {
  const start = performance.now();
  const limit = Math.min(opts.maxStates, opts.maxProgressStates);
  // The time limit covers both passes.
  const deadline = start - safety.stats.elapsedMs + opts.timeLimitMs;
  const report = opts.onProgress;
  const onGraph = report === undefined ? undefined : (states: number, edges: number, queued: number) =>
    report({ distinctStates: states, transitions: edges, queued, depth: safety.stats.maxDepth, elapsedMs: safety.stats.elapsedMs + performance.now() - start });
  // Under symmetry, the quotient first: when it shows there is nothing to find, the full
  // graph (up to the group's size times larger) is never built.
  const canonicalInto = opts.symmetry ? searchCanonicaliser(system)?.into : undefined;
  const quotient = canonicalInto === undefined || safety.stats.distinctStates > limit ? null
    : progressOnQuotient(system, canonicalInto, limit, deadline, onGraph, safety.stats.distinctStates, recorded);
  if (quotient !== null && typeof quotient === 'object') {
    return { ...safety, stats: { ...safety.stats, progress: { ...quotient, elapsedMs: performance.now() - start, quotient: true } } };
  }
  // A quotient that ran out of states or time: the full graph, larger still, would too.
  const stopped = quotient === 'states' || quotient === 'time' ? quotient : safety.stats.distinctStates > limit ? 'states' : null;
  const live = stopped !== null ? stopped
    : checkLiveness(system, limit, opts.fairness ?? system.fairness ?? 'weak', deadline, onGraph, safety.stats.distinctStates, canonicalInto === undefined ? recorded : null);
  if (typeof live === 'string') {
    const why = live === 'time'
      ? timeLimitReason(opts.timeLimitMs)
      : limit === opts.maxStates
        ? stateLimitReason(opts.maxStates)
        : `more than ${opts.maxProgressStates} states, the progress graph's limit (maxProgressStates; checkProgress: false checks safety only)`;
    const graph = canonicalInto === undefined ? 'the progress graph is explored without reductions' : 'the progress graph\'s symmetry quotient';
    return { ...safety, verdict: 'incomplete', incompleteReason: `safety holds; progress not checked: ${why} (${graph})` };
  }
  const stats = { ...safety.stats, progress: { states: live.states, edges: live.edges, bytes: live.bytes, elapsedMs: performance.now() - start, quotient: false } };
  const finding = live.finding;
  if (finding === null) return { ...safety, stats };
  const trace = rebuildTrace(system, finding.lasso.initial, finding.lasso.indices);
  return {
    ...safety,
    verdict: 'violated',
    violation: { kind: finding.kind, invariant: finding.invariant, message: finding.message, trace: { ...trace, loop: finding.lasso.loop } },
    stats,
  };
}
