import { holdsEverywhere, allDesigns, spanningPool, type Scenario } from '../types.js';
import { A, B, free, malloc } from '../ops.js';

export const scenario: Scenario = {
  id: 'malloc-vs-free',
  title: 'zs_malloc and zs_free of another object in the same zspage',
  description: 'One thread frees A (the zspage becomes empty and is freed, or reused) while another allocates B in the same class: the fast path may pick the emptying zspage from RATIO_0 under class->lock.',
  designs: allDesigns,
  shape: spanningPool(3),
  setup: [malloc(A, 1)],
  threads: [
    { name: 'free', ops: [free(A)] },
    { name: 'malloc', ops: [malloc(B, 2)] },
  ],
  bounds: { maxStates: 200_000 },
  expect: holdsEverywhere(),
};
