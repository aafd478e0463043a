/**
 * What every density model reports. Bytes of pages used = bytes stored + the waste, split by cause,
 * so the causes always add up (a test checks it for every allocator on random streams).
 */
export type AllocatorName = 'zsmalloc' | 'zbud' | 'z3fold' | 'xvmalloc';

export const ALLOCATORS: readonly AllocatorName[] = ['zsmalloc', 'zbud', 'z3fold', 'xvmalloc'];

export interface Waste {
  /** Rounding an object up to its size class, chunk count or alignment (and a headless page's tail). */
  readonly rounding: number;
  /** The tail of a zspage no whole object fits in. */
  readonly pageTail: number;
  /** In-page metadata: zsmalloc's in-object handle, zbud/z3fold page headers, xvmalloc block headers. */
  readonly headers: number;
  /** Free slots, unused buddies and free blocks inside pages the allocator holds. */
  readonly unused: number;
  /** Page remainders of objects the allocator refuses (too large), each counted as stored alone in a page. */
  readonly rejected: number;
}

export const WASTE_CAUSES: readonly (keyof Waste)[] = ['rounding', 'pageTail', 'headers', 'unused', 'rejected'];

export interface ClassUsage {
  readonly index: number;
  readonly size: number;
  readonly pagesPerZspage: number;
  readonly objsPerZspage: number;
  readonly objects: number;
  readonly pages: number;
}

export interface DensityResult {
  /** Row label, e.g. "zsmalloc chain 8". */
  readonly label: string;
  readonly allocator: AllocatorName;
  readonly pageSize: number;
  /** Live objects, the refused ones included. */
  readonly objects: number;
  /** Objects the allocator refused (too large for it). */
  readonly rejectedObjects: number;
  readonly pages: number;
  /** Sum of the live objects' sizes. */
  readonly storedBytes: number;
  readonly waste: Waste;
  /** zsmalloc only: per size class usage, classes with objects. */
  readonly classes?: readonly ClassUsage[];
}

/** Objects per page used: each object stands for one uncompressed page (zram/zswap store pages). */
export function effectiveRatio(r: DensityResult): number {
  return r.pages === 0 ? 0 : r.objects / r.pages;
}

export function totalWaste(r: DensityResult): number {
  return WASTE_CAUSES.reduce((s, k) => s + r.waste[k], 0);
}

/** A density model fed one stream: alloc(id, size) with ids 0,1,2,... in order, free(id) of a live id. */
export interface DensityAllocator {
  alloc(id: number, size: number): void;
  free(id: number): void;
  result(): DensityResult;
}
