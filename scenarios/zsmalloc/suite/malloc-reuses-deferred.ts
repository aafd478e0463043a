import { holdsEverywhere, allDesigns, spanningPool, type Scenario } from '../types.js';
import { A, B, asyncFree, free, malloc, migrate, read } from '../ops.js';

export const scenario: Scenario = {
  id: 'malloc-reuses-deferred',
  title: 'zs_malloc reuses an empty zspage whose free was deferred to free_work',
  description: 'The core holds a page lock when zs_free empties the zspage, so the free is deferred and the zspage stays on RATIO_0; find_get_zspage may hand it to zs_malloc before the worker splices the list, and the worker must then leave it alone.',
  designs: allDesigns,
  shape: spanningPool(3),
  setup: [malloc(A, 1)],
  threads: [
    { name: 'user', ops: [free(A), malloc(B, 2), read(B)] },
    { name: 'migrate', ops: [migrate([0], true)] },
    { name: 'free_work', ops: [asyncFree()] },
  ],
  bounds: { maxStates: 1_000_000 },
  expect: holdsEverywhere(),
};
