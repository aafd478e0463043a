import { holdsEverywhere, allDesigns, spanningPool, type Scenario } from '../types.js';
import { A, B, free, malloc, migrate } from '../ops.js';

/** Two users, each zs_malloc and zs_free of a handle of its own, and the core migrating any
 *  page: the threads of this scope and of malloc-enomem-vs-migrate (the same race on fewer
 *  frames). */
export const twoUsersAndCore: Scenario['threads'] = [
  { name: 'user0', ops: [malloc(A, 1), free(A)] },
  { name: 'user1', ops: [malloc(B, 1), free(B)] },
  { name: 'migrate', ops: [migrate()] },
];

/** The users' programs differ only in their own handle, and alloc_pages may hand out any free
 *  frame (`picks: 'any'`), so the users are interchangeable with their handles and the four
 *  frames with each other (model/zsmalloc/symmetry.ts): 48,069–64,153 representatives of
 *  1.9–2.6 million states (about 40x fewer). */
export const scenario: Scenario = {
  id: 'two-users-migrate-any-frame',
  title: 'Two users allocate and free objects of their own while the core migrates any page, on any free frames',
  description: 'Two users each zs_malloc an object of their own handle and zs_free it, while the core isolates any page and migrates it or puts it back; alloc_zspage and compaction_alloc may be handed any free frame of the four. Both mallocs race for class->lock: the second finds the first\'s zspage (find_get_zspage) or both build a zspage of their own, and then no frame is left for compaction_alloc (migration fails and puts the page back). zs_malloc marks a zspage movable (SetZsPageMovable) only once it is set up and listed, under class->lock, so a page the core takes a reference on before that is put back by isolate_movable_ops_page; zs_page_migrate rewrites each handle under pool->lock write while zs_free resolves it under pool->lock read, and every freed frame must go back to the buddy allocator clean.',
  designs: allDesigns,
  shape: spanningPool(4),
  config: { picks: 'any' },
  setup: [],
  threads: twoUsersAndCore,
  // The full search (no reductions), which test/scenarios/reductions.test.ts runs, needs 2.6 million.
  bounds: { maxStates: 3_000_000 },
  expect: holdsEverywhere(),
};
