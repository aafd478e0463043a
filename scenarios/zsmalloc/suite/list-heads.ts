import { allDesigns, holdsEverywhere, spanningPool, type Scenario } from '../types.js';
import { A, D, asyncFree, compact, free, malloc, migrate } from '../ops.js';
import { compactionPool, compactionSetup } from './compact-vs-free.js';

export const listHeadConfig = { lists: 'list_head' } as const;

export const compactLists: Scenario = {
  id: 'list-heads-compact-free',
  title: 'Fullness lists as list_head words: compaction against zs_free',
  description: 'The class fullness lists are linked list_head words: insert_zspage adds at the head, compaction takes list_first_entry of its source and destination lists in the kernel\'s order, zs_free and compaction unlink with list_del_init.',
  designs: allDesigns,
  shape: compactionPool,
  setup: compactionSetup,
  config: listHeadConfig,
  threads: [
    { name: 'compact', ops: [compact()] },
    { name: 'free', ops: [free(A), free(D)] },
  ],
  bounds: { maxStates: 200_000 },
  expect: holdsEverywhere(),
};

/** A free deferred while the core holds page 1, then the worker: RATIO_0 list spliced onto
 *  the worker's local list and each entry list_del'ed (poisoned). */
export const deferredListBody = {
  shape: spanningPool(3, 1),
  setup: [malloc(A, 1)],
  config: listHeadConfig,
  threads: [
    { name: 'free', ops: [free(A)] },
    { name: 'migrate', ops: [migrate([1], true)] },
    { name: 'free_work', ops: [asyncFree()] },
  ],
};

export const deferredLists: Scenario = {
  ...deferredListBody,
  id: 'list-heads-deferred-free',
  title: 'Fullness lists as list_head words: deferred free through the worker\'s local list',
  description: 'zs_free cannot trylock the page the core holds, so the empty zspage stays on ZS_INUSE_RATIO_0; the worker splices that list onto its local free_pages list and list_dels each entry, leaving LIST_POISON1/2 in it before __free_zspage.',
  designs: allDesigns,
  bounds: { maxStates: 200_000 },
  expect: holdsEverywhere(),
};

const broken = { violates: 'list-linkage' } as const;
export const bugL1: Scenario = {
  ...deferredListBody,
  id: 'bug-l1-double-list-del',
  title: 'L1: a spliced zspage unlinked twice',
  description: 'The worker list_dels a zspage from its local list and unlinks it again: list_del of an entry whose next is LIST_POISON1.',
  designs: allDesigns,
  mutation: 'L1',
  bounds: { maxStates: 200_000 },
  expect: { legacy: broken, zpdesc: broken, memdesc: broken },
};

/** The migration core's list: page->lru on cc->migratepages. */
const coreListBody = {
  shape: spanningPool(3, 1),
  setup: [malloc(A, 1)],
  config: listHeadConfig,
  threads: [
    { name: 'core', ops: [migrate([0])] },
    { name: 'free', ops: [free(A)] },
  ],
};

export const coreLists: Scenario = {
  ...coreListBody,
  id: 'list-heads-core-migratepages',
  title: 'page->lru on the migration core\'s list, racing zs_free',
  description: 'The core list_adds the isolated page to cc->migratepages and list_dels it when it puts the page back or after migrating it, while zs_free releases the zspage.',
  designs: allDesigns,
  bounds: { maxStates: 200_000 },
  expect: holdsEverywhere(),
};

export const bugL2: Scenario = {
  ...coreListBody,
  id: 'bug-l2-migrated-page-still-listed',
  title: 'L2: a migrated page freed while still on cc->migratepages',
  description: 'migrate_folio_move does not list_del the source page, which migrate_folio_done then frees to the buddy allocator.',
  designs: ['legacy', 'zpdesc'],
  mutation: 'L2',
  bounds: { maxStates: 200_000 },
  expect: { legacy: broken, zpdesc: broken },
};
