import { allDesigns, holdsEverywhere, spanningPool, type Scenario } from '../types.js';
import { A, B, C, D, free, malloc, shrinkerCount } from '../ops.js';

export const scenario: Scenario = {
  id: 'shrinker-count-vs-malloc-free',
  title: 'zs_shrinker_count racing zs_malloc and zs_free',
  description: 'The shrinker counts a class with a full zspage without class->lock while another thread allocates a second zspage and frees an object: zs_can_compact\'s two loads may see ZS_OBJS_ALLOCATED from before the allocation and ZS_OBJS_INUSE from after it; the obj_allocated <= obj_used guard returns 0 instead of a wrapped count.',
  designs: allDesigns,
  shape: spanningPool(4, 4),
  setup: [malloc(A, 1), malloc(B, 2), malloc(C, 3)],
  threads: [
    { name: 'shrinker', ops: [shrinkerCount()] },
    { name: 'user', ops: [malloc(D, 4), free(A)] },
  ],
  bounds: { maxStates: 200_000 },
  expect: holdsEverywhere(),
};
