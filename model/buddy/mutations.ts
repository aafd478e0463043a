/**
 * Re-introduced mistakes of the buddy allocator, each breaking one named invariant in a
 * reachable run (the unmutated design passes the same scenario).
 */
export type BuddyMutationId = 'BM1' | 'BD1' | 'BZ1' | 'BW1';
export const buddyMutationIds: readonly BuddyMutationId[] = ['BM1', 'BD1', 'BZ1', 'BW1'];

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
  { id: 'BW1', title: 'del_page_from_free_list() leaves PageBuddy set', designs: all, invariant: 'buddy-walker-order',
    doc: 'The order is cleared (set_page_private(page, 0) / the descriptor freed) but not the PageBuddy type: an unlocked pfn walker takes the allocated page for a free block.' },
];

export function isBuddyMutation(s: string): s is BuddyMutationId {
  return (buddyMutationIds as readonly string[]).includes(s);
}
