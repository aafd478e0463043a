import type { Design } from './designs.js';

/**
 * The bounded pool a scenario runs on. Sizes are abstract "units": a page is `pageUnits` units,
 * so a class of size 2 with 2 pages per zspage on 3-unit pages has 3 objects, the middle one
 * spanning both pages (§1.3). Real byte sizes do not change any interleaving, only where the
 * page boundaries fall, which this keeps.
 */
export interface ClassShape {
  /** Object size in units (header included). */
  readonly size: number;
  readonly pagesPerZspage: number;
}

export interface PoolShape {
  readonly pageUnits: number;
  readonly classes: readonly ClassShape[];
  /** Page frames the buddy allocator owns (all free at boot). */
  readonly pageFrames: number;
  /** `struct zspage` slots (the zspage kmem_cache bound). */
  readonly zspageSlots: number;
  /** Handle slots (the handle kmem_cache bound), named A, B, C, ... */
  readonly handles: number;
  /** The zone of each page frame (ZONE_* index, 0..3); frames past the list are in zone 0.
   *  A frame's zone is fixed by its pfn (the zone spans), whatever the page is used for. */
  readonly zones?: readonly number[];
}

/** page_zone(): in legacy/zpdesc the zone bits of page->flags, set once for the frame; in
 *  memdesc a page is one word with no flags, so the zone comes from the pfn (the section's or
 *  zone span's). Both give the frame's fixed zone. */
export function pageZone(pool: PoolShape, p: number): number {
  return pool.zones?.[p] ?? 0;
}

export function zoneCount(pool: PoolShape): number {
  return (pool.zones ?? [0]).reduce((a, z) => Math.max(a, z + 1), 1);
}

/** Objects per zspage is at most this: the obj encoding is `pfn * OBJ_IDX_SPAN + idx`. */
export const OBJ_IDX_SPAN = 4;

export function objsPerZspage(pool: PoolShape, c: number): number {
  const k = pool.classes[c];
  return Math.floor((k.pagesPerZspage * pool.pageUnits) / k.size);
}

/** §1.1: a class is huge when it holds one object in one page; the handle lives in the page. */
export function isHuge(pool: PoolShape, c: number): boolean {
  return objsPerZspage(pool, c) === 1 && pool.classes[c].pagesPerZspage === 1;
}

/** Chain index of the page where object `idx` starts (§1.3). */
export function objChainIndex(pool: PoolShape, c: number, idx: number): number {
  return Math.floor((idx * pool.classes[c].size) / pool.pageUnits);
}

/** Offset (in units) of object `idx` within its first page. */
export function objOffset(pool: PoolShape, c: number, idx: number): number {
  return (idx * pool.classes[c].size) % pool.pageUnits;
}

/** §1.3: first_obj_offset of chain page k. */
export function firstObjOffset(pool: PoolShape, c: number, k: number): number {
  const s = pool.classes[c].size;
  return (s - ((k * pool.pageUnits) % s)) % s;
}

/** Object indices that start in chain page k (what migration rewrites, §2.5 step 4). */
export function objsStartingIn(pool: PoolShape, c: number, k: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < objsPerZspage(pool, c); i++) if (objChainIndex(pool, c, i) === k) out.push(i);
  return out;
}

export function validatePool(pool: PoolShape): string | null {
  if (pool.pageUnits < 1 || pool.pageUnits > 8) return `pageUnits must be 1..8, got ${pool.pageUnits}`;
  for (let c = 0; c < pool.classes.length; c++) {
    const k = pool.classes[c];
    if (k.size < 1 || k.size > pool.pageUnits) return `class ${c}: size must be 1..pageUnits`;
    if (k.pagesPerZspage < 1 || k.pagesPerZspage > 3) return `class ${c}: pagesPerZspage must be 1..3`;
    const n = objsPerZspage(pool, c);
    if (n < 1 || n > OBJ_IDX_SPAN) return `class ${c}: ${n} objects per zspage (1..${OBJ_IDX_SPAN} supported)`;
  }
  if (pool.handles < 1 || pool.handles > 6) return `handles must be 1..6`;
  if (pool.zones !== undefined) {
    if (pool.zones.length > pool.pageFrames) return `zones names ${pool.zones.length} zones for ${pool.pageFrames} page frames`;
    if (pool.zones.some((z) => !Number.isInteger(z) || z < 0 || z > 3)) return 'zones must be 0..3';
  }
  return null;
}

/**
 * Fullness groups. zpdesc/memdesc use the 6.3+ ratio groups (ZS_INUSE_RATIO_0, _10.._99, _100);
 * legacy uses the E2 four groups with the 3/4 threshold (fullness_threshold_frac = 4).
 */
export function fullnessGroups(design: Design): readonly string[] {
  if (design === 'legacy') return ['ZS_EMPTY', 'ZS_ALMOST_EMPTY', 'ZS_ALMOST_FULL', 'ZS_FULL'];
  const g = ['ZS_INUSE_RATIO_0'];
  for (let i = 1; i <= 9; i++) g.push(`ZS_INUSE_RATIO_${i * 10}`);
  g.push('ZS_INUSE_RATIO_99', 'ZS_INUSE_RATIO_100');
  return g;
}

/** get_fullness_group() of the era. */
export function fullnessGroup(design: Design, inuse: number, objs: number): number {
  if (design === 'legacy') {
    if (inuse === 0) return 0;
    if (inuse === objs) return 3;
    return inuse <= Math.floor((3 * objs) / 4) ? 1 : 2;
  }
  if (inuse === 0) return 0;
  if (inuse === objs) return 11;
  return Math.floor(Math.floor((100 * inuse) / objs) / 10) + 1;
}

/** Groups compaction takes a source from, in scan order (§2.4: RATIO_10 up to RATIO_99; E2: ALMOST_EMPTY then ALMOST_FULL). */
export function srcScanOrder(design: Design): number[] {
  return design === 'legacy' ? [1, 2] : [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
}

/** Groups compaction takes a destination from, in scan order (the reverse). */
export function dstScanOrder(design: Design): number[] {
  return srcScanOrder(design).reverse();
}

/** find_get_zspage: from the fullest non-full group down to the empty one (§2.1 step 4). */
export function mallocScanOrder(design: Design): number[] {
  return design === 'legacy' ? [2, 1, 0] : [10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0];
}
