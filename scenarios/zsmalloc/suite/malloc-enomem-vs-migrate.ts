import { holdsEverywhere, allDesigns, spanningPool, type Scenario } from '../types.js';
import { twoUsersAndCore } from './two-users-migrate-any-frame.js';

/** Found by the first cut of two-users-migrate-any-frame on three frames: the model's undo
 *  freed its pages outright, under the core's speculative reference. The users are
 *  interchangeable with their handles and the frames with each other: 36,887–47,825
 *  representatives of 432,599–563,555 states (about 12x fewer). */
export const scenario: Scenario = {
  id: 'malloc-enomem-vs-migrate',
  title: 'alloc_zspage runs out of pages and undoes while the core holds a speculative reference to one of them',
  description: 'Three frames, two users that each zs_malloc and zs_free an object of their own, and the core migrating any page (alloc_pages may hand out any free frame): when both users build a zspage, the second gets one page and fails. The core\'s isolate_movable_ops_page may have taken get_page_unless_zero on that page before SetZsPageMovable (or, under memdesc, a reference on its zspage): alloc_zspage\'s undo drops only its own reference (free_zpdesc is __free_page; memdesc puts the descriptor), and the core\'s put_page, once it finds the page not movable, frees it to the buddy allocator.',
  designs: allDesigns,
  shape: spanningPool(3),
  config: { picks: 'any' },
  setup: [],
  threads: twoUsersAndCore,
  // The full search (no reductions), which test/scenarios/reductions.test.ts runs, needs 0.56 million.
  bounds: { maxStates: 600_000 },
  expect: holdsEverywhere(),
};
