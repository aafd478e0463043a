import type { CheckOptions } from './result.js';
import type { VisitedSetFactory } from './visited-set.js';
import { fingerprintSetFactory } from './fingerprint-set.js';


/** Engine-level settings beyond `CheckOptions` (for tests and benchmarks). */
export interface EngineOptions extends CheckOptions {
  /** Storage of the visited states; the 64-bit fingerprint table by default. */
  readonly visitedSet?: VisitedSetFactory;
  /** Skip a state invariant on a new state when the step that produced it changed no packed
   *  word holding a field the invariant `reads` (the parent state, which the search only
   *  expands once every invariant held there, gives the same answer), and an action property
   *  on a step that changed no word holding a field it `changes`. True by default; false
   *  checks everything on every state and step (for comparison and benchmarks). */
  readonly incrementalChecks?: boolean;
}

export const DEFAULT_WALKS = 1000;
export const DEFAULT_WALK_DEPTH = 1000;
export const DEFAULT_SEED = 1;
export const DEFAULT_MAX_PROGRESS_STATES = 4_000_000;

/** Every option with its default filled in. */
export interface ResolvedOptions {
  readonly strategy: 'bfs' | 'dfs' | 'simulate';
  readonly maxStates: number;
  readonly maxDepth: number;
  readonly timeLimitMs: number;
  readonly checkDeadlock: boolean;
  readonly symmetry: boolean;
  readonly partialOrder: boolean;
  readonly checkProgress: boolean;
  readonly maxProgressStates: number;
  /** Undefined: the model's own `fairness`, else weak. */
  readonly fairness: 'weak' | 'strong' | 'none' | undefined;
  readonly seed: number;
  readonly walks: number;
  readonly walkDepth: number;
  readonly onProgress: CheckOptions['onProgress'];
  readonly visitedSet: VisitedSetFactory;
  readonly incrementalChecks: boolean;
}

function bound(name: string, v: number | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  if (!(v >= 0) || (Number.isFinite(v) && !Number.isInteger(v))) {
    throw new RangeError(`option ${name} must be a non-negative integer, got ${v}`);
  }
  return v;
}

export function resolveOptions(o: EngineOptions = {}): ResolvedOptions {
  const maxStates = bound('maxStates', o.maxStates, Infinity);
  return {
    strategy: o.strategy ?? 'bfs',
    maxStates,
    maxDepth: bound('maxDepth', o.maxDepth, Infinity),
    timeLimitMs: bound('timeLimitMs', o.timeLimitMs, Infinity),
    checkDeadlock: o.checkDeadlock ?? true,
    symmetry: o.symmetry ?? true,
    partialOrder: o.partialOrder ?? true,
    checkProgress: o.checkProgress ?? true,
    maxProgressStates: bound('maxProgressStates', o.maxProgressStates, DEFAULT_MAX_PROGRESS_STATES),
    fairness: o.fairness,
    seed: o.seed ?? DEFAULT_SEED,
    walks: bound('walks', o.walks, DEFAULT_WALKS),
    walkDepth: bound('walkDepth', o.walkDepth, DEFAULT_WALK_DEPTH),
    onProgress: o.onProgress,
    // The table grows from its small first size even when a state bound is known: sized for
    // the bound (up to 2^20 states, 16 MiB) it spread a run's lookups over all of it, a cache
    // and TLB miss each, where a table grown to fit stays in the caches; the doublings'
    // re-insertions cost less (a profile of the largest default zsmalloc run: the prefetch of
    // home slots fell from 6% of the samples to 2%).
    visitedSet: o.visitedSet ?? fingerprintSetFactory,
    incrementalChecks: o.incrementalChecks ?? true,
  };
}
