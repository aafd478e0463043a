/**
 * The buddy allocator's free-page state in three layouts (see the README's "Designs"), from the
 * 2021 linux-mm discussion of a two-word struct page ({allocator, allocatee}) and where a free
 * page's state would go:
 * - `buddy-struct-page`: today (Linux 6.18): PageBuddy in page_type, the order in
 *   page->private (set_buddy_order), the free-list node `buddy_list` aliasing page->lru, node and
 *   zone in page->flags (set_page_links at boot).
 * - `buddy-in-page`: two-word struct page; PageBuddy/PageReported in the allocator word's type,
 *   node/zone in the allocatee word, and the free-list node and the order stored in the free page
 *   itself (its first bytes), as proposed and objected to in the thread.
 * - `buddy-descriptor`: the page's one word points at a free-page descriptor (a small slab object)
 *   holding the order, the list node, node/zone and the reported bit.
 */
export type BuddyDesign = 'buddy-struct-page' | 'buddy-in-page' | 'buddy-descriptor';
export const buddyDesigns: readonly BuddyDesign[] = ['buddy-struct-page', 'buddy-in-page', 'buddy-descriptor'];

export function isBuddyDesign(s: string): s is BuddyDesign {
  return (buddyDesigns as readonly string[]).includes(s);
}

export interface BuddyOptions {
  /** init_on_free=1: free_pages_prepare() zeroes the page, post_alloc_hook() then skips
   *  zeroing (`init = !want_init_on_free() && want_init_on_alloc(gfp)`). */
  readonly initOnFree: boolean;
}

export const defaultBuddyOptions: BuddyOptions = { initOnFree: false };

export interface BuddyDesignDoc {
  readonly design: BuddyDesign;
  readonly era: string;
  readonly summary: string;
}

export const buddyDesignDocs: readonly BuddyDesignDoc[] = [
  { design: 'buddy-struct-page', era: 'Linux 6.18', summary: 'PageBuddy in page_type, order in private, buddy_list over lru, node/zone in flags' },
  { design: 'buddy-in-page', era: '2021 two-word struct page discussion', summary: 'free-list node and order in the free page\'s own memory' },
  { design: 'buddy-descriptor', era: '2021 two-word struct page discussion', summary: 'the page\'s word points at a free-page descriptor (order, node, zone, list)' },
];
