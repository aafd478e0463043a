import type { TransitionSystem } from './system.js';
import type { CheckResult } from './result.js';
import { check, withProgress } from './check.js';
import type { EngineOptions } from './options.js';
import { parallelBfs, threadsAvailable, type SystemRef } from './parallel/index.js';

export interface ParallelCheckOptions extends EngineOptions {
  /** Worker threads for one breadth-first search (1: the single-threaded engine). */
  readonly workers: number;
}

/**
 * `check` on several cores: a breadth-first search with `workers` > 1 runs level-synchronously
 * on worker threads that build their own copy of the system from `ref` (same verdict, distinct
 * states, transitions and depth as `check`; traces of the same length). Every other case runs
 * `check` itself: DFS and simulation are sequential by nature, and partial-order reduction's
 * cycle proviso depends on the visiting order. The progress pass (non-progress loops, liveness)
 * runs after a parallel safety search that found nothing, as `check` runs it.
 */
export async function checkParallel(system: TransitionSystem, ref: SystemRef, options: ParallelCheckOptions): Promise<CheckResult> {
  const strategy = options.strategy ?? 'bfs';
  // Partial-order reduction is on by default wherever a model declares footprints.
  const por = (options.partialOrder ?? true) && system.stepFootprint !== undefined;
  if (options.workers <= 1 || strategy !== 'bfs' || por || !threadsAvailable()) return check(system, options);
  return withProgress(system, options, (await parallelBfs(system, ref, options)).result);
}
