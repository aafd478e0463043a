/**
 * A stream of allocations and frees, replayed through every allocator in the same order. Encoded
 * in one Int32Array for speed (a million operations per allocator): a value v > 0 allocates an
 * object of v bytes (ids 0, 1, 2, ... in allocation order), v < 0 frees object -v - 1.
 */
import { ZbudPool } from './zbud.js';
import { Z3foldPool } from './z3fold.js';
import { XvmallocPool } from './xvmalloc.js';
import { ZsmallocPool } from './zsmalloc.js';
import type { DensityAllocator, DensityResult } from './types.js';

export type Stream = Int32Array;

export function allocOnly(sizes: ArrayLike<number>): Stream {
  return Int32Array.from(sizes);
}

/** mulberry32: a small seeded generator, so a --seed reproduces a stream anywhere. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Churn: after each allocation, with probability `freeFraction`, free one live object chosen
 * uniformly at random (swap-out then swap-in of a random page). About (1 - f) of the objects stay.
 */
export function churn(sizes: ArrayLike<number>, freeFraction: number, seed: number): Stream {
  const rnd = seededRandom(seed);
  const out: number[] = [];
  const live: number[] = [];
  for (let id = 0; id < sizes.length; id++) {
    out.push(sizes[id]);
    live.push(id);
    if (rnd() < freeFraction) {
      const k = Math.floor(rnd() * live.length);
      const victim = live[k];
      live[k] = live[live.length - 1];
      live.pop();
      out.push(-victim - 1);
    }
  }
  return Int32Array.from(out);
}

export function replay(stream: Stream, a: DensityAllocator): void {
  let id = 0;
  for (let i = 0; i < stream.length; i++) {
    const v = stream[i];
    if (v > 0) a.alloc(id++, v);
    else a.free(-v - 1);
  }
}

export interface DensityRun {
  readonly pageSize: number;
  readonly results: readonly DensityResult[];
  /** --churn: zsmalloc (each chain size) after one zs_compact() pass, and the pages it freed. */
  readonly compacted?: readonly (DensityResult & { readonly pagesFreed: number })[];
  /** Milliseconds per allocator row, for the bench. */
  readonly millis: Readonly<Record<string, number>>;
}

export const CHAIN_SIZES = [4, 8] as const;

export function runDensity(stream: Stream, pageSize: number, opts: { compact?: boolean } = {}): DensityRun {
  const results: DensityResult[] = [];
  const compacted: (DensityResult & { pagesFreed: number })[] = [];
  const millis: Record<string, number> = {};
  const timed = <T extends DensityAllocator>(label: string, a: T): T => {
    const t0 = performance.now();
    replay(stream, a);
    millis[label] = performance.now() - t0;
    return a;
  };
  for (const chain of [...CHAIN_SIZES].reverse()) {
    const zs = timed(`zsmalloc chain ${chain}`, new ZsmallocPool(pageSize, chain));
    results.push(zs.result());
    if (opts.compact) {
      const pagesFreed = zs.compact();
      compacted.push({ ...zs.result(), label: `zsmalloc chain ${chain} after zs_compact`, pagesFreed });
    }
  }
  results.push(timed('zbud', new ZbudPool(pageSize)).result());
  results.push(timed('z3fold', new Z3foldPool(pageSize)).result());
  results.push(timed('xvmalloc', new XvmallocPool(pageSize)).result());
  return { pageSize, results, ...(opts.compact ? { compacted } : {}), millis };
}
