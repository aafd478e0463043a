/**
 * Re-introduced mistakes of the buddy allocator, each breaking one named invariant in a
 * reachable run (the unmutated design passes the same scenario).
 */
export type BuddyMutationId = 'BM1' | 'BD1' | 'BZ1' | 'BW2';
export const buddyMutationIds: readonly BuddyMutationId[] = ['BM1', 'BD1', 'BZ1', 'BW2'];

export interface BuddyMutationDoc {
  readonly id: BuddyMutationId;
  readonly title: string;
  readonly designs: readonly string[];
  readonly invariant: string;
  readonly doc: string;
}

const all = ['buddy-struct-page', 'buddy-in-page', 'buddy-descriptor'];

export const buddyMutations: readonly BuddyMutationDoc[] = [
  { id: 'BM1', title: 'page_is_buddy() does not compare the buddy\'s order', designs: all, invariant: 'buddy-merge-same-order',
    doc: '__free_one_page() merges with pfn ^ (1 << order) as soon as it is PageBuddy, without buddy_order(buddy) == order: a free order-0 page next to an order-1 block is taken for its order-1 buddy.' },
  { id: 'BD1', title: '__rmqueue_smallest() hands a page out without del_page_from_free_list()', designs: all, invariant: 'buddy-no-double-alloc',
    doc: 'The allocated block stays on its free list with PageBuddy and its order, so the next allocation takes it again.' },
  { id: 'BZ1', title: 'expand() does not record node/zone for the split-off block', designs: ['buddy-in-page', 'buddy-descriptor'], invariant: 'buddy-zone-kept',
    doc: 'With node/zone no longer in every page\'s flags, expand() must write them into the word (or descriptor) of each half it puts back on a free list; this one forgets.' },
  { id: 'BW2', title: 'free-page descriptors go back to the page allocator, not to a type-stable cache', designs: ['buddy-descriptor'], invariant: 'buddy-walker-order',
    doc: 'del_page_from_free_list() frees the descriptor outright; a pfn walker that read the page\'s word before the block was allocated then reads the order from freed memory. A SLAB_TYPESAFE_BY_RCU cache keeps a freed descriptor a descriptor, so the walker reads a stale order at worst (which compaction re-checks under zone->lock).' },
];

export function isBuddyMutation(s: string): s is BuddyMutationId {
  return (buddyMutationIds as readonly string[]).includes(s);
}
