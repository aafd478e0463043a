import { holdsEverywhere, allDesigns, type Scenario } from '../types.js';
import { A, B, free, malloc, migrate, read } from '../ops.js';

/** As two-users-migrate-any-frame, in a huge class, where a handle also lives in the page
 *  (page->handle is renamed with the users' handles): 35,285–44,612 representatives of
 *  398,389–493,699 states (about 11x fewer). */
export const scenario: Scenario = {
  id: 'huge-users-migrate-any-frame',
  title: 'Two users allocate, read and free huge objects of their own while the core migrates any page, on any free frames',
  description: 'A huge class (one object per 1-page zspage): two users each zs_malloc an object of their own handle, read it and zs_free it, while the core isolates any page and migrates it or puts it back, and alloc_pages may hand out any free frame of the three. A huge zspage keeps the handle in the page descriptor (zpdesc->handle, page->index in older kernels) instead of an object header: obj_malloc sets it, obj_free clears it, and zs_page_migrate must copy it to the new page (replace_sub_page) while rewriting the handle to the new pfn, so a read that resolves its handle under pool->lock before or after the migration reaches the payload, and a migration racing zs_free never moves a freed object.',
  designs: allDesigns,
  shape: { pageUnits: 3, classes: [{ size: 3, pagesPerZspage: 1 }], pageFrames: 3, zspageSlots: 2, handles: 2 },
  config: { picks: 'any' },
  setup: [],
  threads: [
    { name: 'user0', ops: [malloc(A, 1), read(A), free(A)] },
    { name: 'user1', ops: [malloc(B, 1), read(B), free(B)] },
    { name: 'migrate', ops: [migrate()] },
  ],
  // The full search (no reductions), which test/scenarios/reductions.test.ts runs, needs 0.5 million.
  bounds: { maxStates: 600_000 },
  expect: holdsEverywhere(),
};
