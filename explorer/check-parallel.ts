import type { TransitionSystem } from './system.js';
import type { CheckResult } from './result.js';
import { check } from './check.js';
import type { EngineOptions } from './options.js';
import { parallelBfs, type SystemRef } from './parallel/index.js';

export interface ParallelCheckOptions extends EngineOptions {
  /** Worker threads for one breadth-first search (1: the single-threaded engine). */
  readonly workers: number;
}

/**
 * `check` on several cores: a breadth-first search with `workers` > 1 runs level-synchronously
 * on worker threads that build their own copy of the system from `ref` (same verdict, distinct
 * states, transitions and depth as `check`; traces of the same length). Every other case runs
 * `check` itself: DFS and simulation are sequential by nature, and partial-order reduction's
 * cycle proviso depends on the visiting order.
 */
export async function checkParallel(system: TransitionSystem, ref: SystemRef, options: ParallelCheckOptions): Promise<CheckResult> {
  const strategy = options.strategy ?? 'bfs';
  const por = (options.partialOrder ?? false) && system.isLocal !== undefined;
  if (options.workers <= 1 || strategy !== 'bfs' || por) return check(system, options);
  return (await parallelBfs(system, ref, options)).result;
}
