/**
 * What the users of a zbud pool do (zswap of the zbud LRU era, v3.11-v6.4): store a compressed
 * page under a tree entry, load it, invalidate it, ask the pool to reclaim a page; plus a
 * relocation (compaction/migration moving one buddy to another page) and a memmap walker.
 * Entries are named A, B, C...; a stored entry's data is its own id (what "its own data" means).
 */
export type ZbudOp =
  /** zswap_frontswap_store: zbud_alloc(chunks), map, copy in, unmap, insert into the tree. */
  | { readonly kind: 'store'; readonly entry: number; readonly chunks: number }
  /** zswap_frontswap_load: look up, map, copy out, unmap. */
  | { readonly kind: 'load'; readonly entry: number }
  /** zswap_frontswap_invalidate_page: erase from the tree, drop the reference, zbud_free. */
  | { readonly kind: 'invalidate'; readonly entry: number }
  /** zbud_reclaim_page(pool, 1) with zswap_writeback_entry as the evict callback. */
  | { readonly kind: 'reclaim' }
  /** Compaction or migration moving one buddy to another zbud page. */
  | { readonly kind: 'relocate' }
  /** A pfn scanner reading struct page without a reference (compaction's scanners, /proc/kpageflags). */
  | { readonly kind: 'walk' };

export type ZbudOpKind = ZbudOp['kind'];

export interface ZbudPoolShape {
  /** Page frames the page allocator has. */
  readonly pages: number;
  /** Tree entries (and, for zbud-indirect, handle words). */
  readonly entries: number;
}

/** Chunks a zbud page holds after its header (NCHUNKS, scaled down from 63). */
export const NCHUNKS = 4;
export const FIRST = 0;
export const LAST = 1;

export function entryName(e: number): string {
  return String.fromCharCode(65 + e);
}
