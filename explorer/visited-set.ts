/**
 * The set of states already seen (TLC's FPSet idea: the search only asks "new or not?", so the
 * storage behind it is pluggable). A set receives both the packed words of the state and its
 * 64-bit fingerprint; the fingerprint table keeps only the latter, an exact set the former.
 */
export interface VisitedSet {
  /** Adds the state; true when it was not in the set before. */
  add(words: Uint32Array, offset: number, hi: number, lo: number): boolean;
  /** Optional hint that (hi, lo) will be added soon: reads its home slot so that several
   *  lookups' cache misses overlap. Returns whatever it read (callers ignore it). */
  touch?(hi: number, lo: number): number;
  /** Number of states added. */
  readonly size: number;
  /** Bytes the set holds (for `Stats.visitedBytes`). */
  readonly bytes: number;
  /** True when two different states can be taken for the same one (fingerprinting). */
  readonly lossy: boolean;
}

/** Builds a visited set for states of `wordsPerState` packed words. */
export type VisitedSetFactory = (wordsPerState: number) => VisitedSet;
