import type { CheckOptions } from './result.js';
import type { VisitedSetFactory } from './visited-set.js';
import { fingerprintSetFactory } from './fingerprint-set.js';

/** Engine-level settings beyond `CheckOptions` (for tests and benchmarks). */
export interface EngineOptions extends CheckOptions {
  /** Storage of the visited states; the 64-bit fingerprint table by default. */
  readonly visitedSet?: VisitedSetFactory;
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
}

function bound(name: string, v: number | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  if (!(v >= 0) || (Number.isFinite(v) && !Number.isInteger(v))) {
    throw new RangeError(`option ${name} must be a non-negative integer, got ${v}`);
  }
  return v;
}

export function resolveOptions(o: EngineOptions = {}): ResolvedOptions {
  return {
    strategy: o.strategy ?? 'bfs',
    maxStates: bound('maxStates', o.maxStates, Infinity),
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
    visitedSet: o.visitedSet ?? fingerprintSetFactory,
  };
}
