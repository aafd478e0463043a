import type { CheckOptions } from './result.js';
import type { VisitedSetFactory } from './visited-set.js';
import { FingerprintSet, fingerprintSetFactory } from './fingerprint-set.js';

/** Pre-sizing stops here (2^20 states, 8 MiB of fingerprints at most): beyond, growing costs
 *  little next to the search, and an unreached bound should not reserve memory. */
const PRESIZE_MAX_STATES = 1 << 20;

/**
 * With a state bound, the fingerprint table starts large enough for it (up to 2^20 states)
 * instead of doubling its way there: each doubling re-inserts every fingerprint. Untouched
 * slots cost no physical memory (the zeroed pages are mapped on first write).
 */
// Stryker disable all: the table's first size only decides how often it grows (a table too
// small grows, one too large costs memory): the same states either way
function presizedFingerprintSet(maxStates: number): VisitedSetFactory {
  if (!Number.isFinite(maxStates)) return fingerprintSetFactory;
  const states = Math.min(maxStates, PRESIZE_MAX_STATES);
  return () => new FingerprintSet(Math.ceil((states * 8) / 7) + 1);
}
// Stryker restore all

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
    visitedSet: o.visitedSet ?? presizedFingerprintSet(maxStates),
    incrementalChecks: o.incrementalChecks ?? true,
  };
}
