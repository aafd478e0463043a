import { holdsEverywhere, allDesigns, spanningPool, type Scenario } from '../types.js';
import { A, B, malloc, migrate } from '../ops.js';

/** Three identical core threads: thread symmetry explores one of each set of interchangeable
 *  interleavings (about 6x fewer states than the full search). */
export const scenario: Scenario = {
  id: 'three-migrations-one-zspage',
  title: 'Three migration threads on the two pages of one zspage',
  description: 'Three core threads each isolate either page of the same 2-page zspage and migrate it or put it back, so at least two of them race for one page: isolate_movable_ops_page must refuse a page that is already PageMovableOpsIsolated (E6; memdesc serialises on the zspage lock), and zs_page_migrate of one page must not disturb the isolation of the other.',
  designs: allDesigns,
  shape: spanningPool(5),
  setup: [malloc(A, 1), malloc(B, 2)],
  threads: [0, 1, 2].map((i) => ({ name: `migrate${i}`, ops: [migrate([0, 1])] })),
  bounds: { maxStates: 400_000 },
  expect: holdsEverywhere(),
};
