/**
 * zsmalloc's size-class table, derived as zs_create_pool() derives it (mm/zsmalloc.c, Linux 6.3 and
 * later, unchanged through 6.18): one candidate class every ZS_SIZE_CLASS_DELTA bytes from
 * ZS_MIN_ALLOC_SIZE up to PAGE_SIZE, each with the chain length calculate_zspage_chain_size()
 * picks, walked from the largest down so that a class whose (pages_per_zspage, objs_per_zspage)
 * equals the last created one is merged into it (can_merge()). Objects per zspage and hugeness come
 * from the model's pool-shape helpers (model/zsmalloc/shape.ts), so the model and this table
 * cannot disagree about what a class holds.
 */
import { isHuge, objsPerZspage, type PoolShape } from '../zsmalloc/shape.js';

/** ZS_ALIGN: every class size is a multiple of it, so the 8-byte link_free never spans pages. */
export const ZS_ALIGN = 8;
/** ZS_HANDLE_SIZE = sizeof(unsigned long): zs_malloc() adds it before the class lookup. */
export const ZS_HANDLE_SIZE = 8;
/** CLASS_BITS: ZS_SIZE_CLASS_DELTA = PAGE_SIZE >> CLASS_BITS. */
export const CLASS_BITS = 8;
/** MAX_POSSIBLE_PHYSMEM_BITS on x86-64 (5-level paging) and arm64 with 52-bit PAs. */
export const DEFAULT_PHYSMEM_BITS = 52;

export interface ZsConfig {
  readonly pageSize: number;
  /** CONFIG_ZSMALLOC_CHAIN_SIZE = ZS_MAX_PAGES_PER_ZSPAGE (4..16; default 8). */
  readonly chainSize: number;
  /** MAX_POSSIBLE_PHYSMEM_BITS (decides OBJ_INDEX_BITS and so ZS_MIN_ALLOC_SIZE). */
  readonly physmemBits?: number;
}

export interface SizeClass {
  /** class->index: the candidate index that owns the merged class. */
  readonly index: number;
  readonly size: number;
  readonly pagesPerZspage: number;
  readonly objsPerZspage: number;
  /** objs_per_zspage == 1 && pages_per_zspage == 1: the handle lives in the page, not the object. */
  readonly huge: boolean;
}

export interface ClassTable {
  readonly config: Required<ZsConfig>;
  readonly minAllocSize: number;
  readonly delta: number;
  /** ZS_SIZE_CLASSES: candidate indices 0..nrCandidates-1. */
  readonly nrCandidates: number;
  /** The distinct (owning) classes in ascending index order. */
  readonly classes: readonly SizeClass[];
  /** pool->size_class[i]: position in `classes` of the class candidate index i resolves to. */
  readonly classOf: Uint16Array;
  /** zs_huge_class_size(): the smallest request (before the handle is added) that ends in a huge class. */
  readonly hugeClassSize: number;
}

function log2(n: number): number {
  return Math.round(Math.log2(n));
}

function isPowerOf2(n: number): boolean {
  return n > 0 && (n & (n - 1)) === 0;
}

/** calculate_zspage_chain_size(): the chain length (1..chainSize) with the least tail waste; 1 for a power of two. */
export function calculateZspageChainSize(classSize: number, pageSize: number, chainSize: number): number {
  if (isPowerOf2(classSize)) return 1;
  let minWaste = Infinity;
  let best = 1;
  for (let i = 1; i <= chainSize; i++) {
    const waste = (i * pageSize) % classSize;
    if (waste < minWaste) {
      minWaste = waste;
      best = i;
    }
  }
  return best;
}

/** The class as shape.ts sees it: a one-class pool whose unit is one byte. */
function byteShape(pageSize: number, size: number, pagesPerZspage: number): PoolShape {
  return { pageUnits: pageSize, classes: [{ size, pagesPerZspage }], pageFrames: 0, zspageSlots: 0, handles: 0 };
}

const cache = new Map<string, ClassTable>();

export function deriveClassTable(cfg: ZsConfig): ClassTable {
  const config = { physmemBits: DEFAULT_PHYSMEM_BITS, ...cfg };
  const key = `${config.pageSize}/${config.chainSize}/${config.physmemBits}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const { pageSize, chainSize, physmemBits } = config;
  const pageShift = log2(pageSize);
  // OBJ_INDEX_BITS = BITS_PER_LONG - _PFN_BITS; ZS_MIN_ALLOC_SIZE = MAX(32, chain << PAGE_SHIFT >> OBJ_INDEX_BITS).
  const objIndexBits = 64 - (physmemBits - pageShift);
  const minAllocSize = Math.max(32, Math.floor((chainSize * pageSize) / 2 ** objIndexBits));
  const delta = pageSize >> CLASS_BITS;
  const maxAllocSize = pageSize;
  const nrCandidates = Math.ceil((maxAllocSize - minAllocSize) / delta) + 1;

  const owners: SizeClass[] = [];
  const ownerOf = new Int32Array(nrCandidates);
  let hugeClassSize = 0;
  let prev: SizeClass | undefined;
  for (let i = nrCandidates - 1; i >= 0; i--) {
    const size = Math.min(minAllocSize + i * delta, maxAllocSize);
    const pagesPerZspage = calculateZspageChainSize(size, pageSize, chainSize);
    const shape = byteShape(pageSize, size, pagesPerZspage);
    const objs = objsPerZspage(shape, 0);
    // zs_create_pool(): the first class from the top that is neither one page nor one object.
    if (pagesPerZspage !== 1 && objs !== 1 && hugeClassSize === 0) hugeClassSize = size - (ZS_HANDLE_SIZE - 1);
    if (prev && prev.pagesPerZspage === pagesPerZspage && prev.objsPerZspage === objs) {
      ownerOf[i] = owners.length - 1;
      continue;
    }
    prev = { index: i, size, pagesPerZspage, objsPerZspage: objs, huge: isHuge(shape, 0) };
    owners.push(prev);
    ownerOf[i] = owners.length - 1;
  }
  // Built from the top down; present ascending.
  const classes = owners.reverse();
  const classOf = new Uint16Array(nrCandidates);
  for (let i = 0; i < nrCandidates; i++) classOf[i] = classes.length - 1 - ownerOf[i];
  const table: ClassTable = { config, minAllocSize, delta, nrCandidates, classes, classOf, hugeClassSize };
  cache.set(key, table);
  return table;
}

/** get_size_class_index(): candidate index for a request that already includes the handle. */
export function sizeClassIndex(table: ClassTable, size: number): number {
  const idx = size > table.minAllocSize ? Math.ceil((size - table.minAllocSize) / table.delta) : 0;
  return Math.min(table.nrCandidates - 1, idx);
}

/** The class zs_malloc(size) uses: the handle is added first, whatever the class. */
export function classForRequest(table: ClassTable, size: number): number {
  return table.classOf[sizeClassIndex(table, size + ZS_HANDLE_SIZE)];
}
