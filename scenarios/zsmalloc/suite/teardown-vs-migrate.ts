import { allDesigns, holdsEverywhere, spanningPool, type Scenario } from '../types.js';
import { A, asyncFree, destroyPool, free, malloc, migrate } from '../ops.js';

/** One object, freed and then the pool destroyed, while the migration core isolates, migrates
 *  or puts back page 0 of its zspage and the free_work worker may run. */
export const teardownBase: Omit<Scenario, 'id' | 'title' | 'description' | 'expect'> = {
  designs: allDesigns,
  shape: spanningPool(3, 1),
  setup: [malloc(A, 1)],
  threads: [
    { name: 'migrate', ops: [migrate([0])] },
    { name: 'user', ops: [free(A), destroyPool()] },
    { name: 'free_work', ops: [asyncFree()] },
  ],
  bounds: { maxStates: 200_000 },
};

export const scenario: Scenario = {
  ...teardownBase,
  id: 'teardown-vs-migrate',
  title: 'zs_destroy_pool racing isolation, migration and putback',
  description: 'The last object is freed and the pool destroyed while the core isolates page 0 and then migrates it or puts it back: a free deferred because the core held the page lock, or (E2) an isolated empty zspage re-listed by putback, schedules free_work, and teardown waits for the isolated pages (E2), the work item, and (memdesc) the core\'s descriptor references before freeing the pool.',
  expect: holdsEverywhere(),
};
