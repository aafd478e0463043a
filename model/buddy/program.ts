/**
 * What touches free pages: the page allocator's own callers (alloc_pages, __free_pages) and the
 * actors the 2021 thread named: free page reporting (virtio-balloon hands the pages to the
 * host), s390's arch_free_page() (CMMA: the host may discard an unused page's contents while it
 * is free), and a speculative pfn walker (compaction's scanners read PageBuddy and the order
 * without zone->lock).
 */
export type BuddyOp =
  /** alloc_pages(order): __rmqueue_smallest + expand under zone->lock, then post_alloc_hook. */
  | { readonly kind: 'alloc'; readonly order: number }
  /** __free_pages(pfn, order) of a block its owner holds: free_pages_prepare, __free_one_page. */
  | { readonly kind: 'free'; readonly pfn: number; readonly order: number }
  /** page_reporting_cycle() for one block: isolate, report (the host discards), drain. */
  | { readonly kind: 'report' }
  /** The s390 host discarding the contents of one free page (CMMA "unused" state). */
  | { readonly kind: 'discard' }
  /** isolate_freepages_block()-style read of PageBuddy and buddy_order_unsafe() at one pfn. */
  | { readonly kind: 'walk' };

export interface ZoneShape {
  /** Page frames in the zone (a power of two). */
  readonly pages: number;
}

/** The zone id every page of the modelled zone has (ZONE_NORMAL); 0 means lost. */
export const ZONE_ID = 1;
