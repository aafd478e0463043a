import { spanningPool, type Scenario } from '../types.js';
import { A, free, malloc, migrate } from '../ops.js';

export const scenario: Scenario = {
  id: 'bug-m2-descriptor-freed',
  title: 'M2: zsmalloc frees the zspage descriptor while the core holds a reference',
  description: 'The core isolates a page (holding a ref on the zspage); zs_free empties and frees the zspage and kmem_cache_frees the descriptor at once; the core then locks or puts its cached zspage pointer.',
  designs: ['memdesc'],
  shape: spanningPool(3, 1),
  setup: [malloc(A, 1)],
  threads: [
    { name: 'migrate', ops: [migrate([0])] },
    { name: 'free', ops: [free(A)] },
  ],
  mutation: 'M2',
  bounds: { maxStates: 200_000 },
  expect: { memdesc: { violates: 'no-zspage-use-after-free' } },
};
