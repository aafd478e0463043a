import { holdsEverywhere, allDesigns, spanningPool, type Scenario } from '../types.js';
import { A, B, free, malloc, read, write } from '../ops.js';

export const scenario: Scenario = {
  id: 'write-vs-free-other',
  title: 'zs_obj_write of one object while its neighbour is freed and reallocated',
  description: 'Writes and reads of B (spanning two pages) are unaffected by the free and reuse of A\'s slot in the same zspage.',
  designs: allDesigns,
  shape: spanningPool(3),
  setup: [malloc(A, 1), malloc(B, 2)],
  threads: [
    { name: 'writer', ops: [write(B, 5), read(B)] },
    { name: 'realloc', ops: [free(A), malloc(A, 3), read(A)] },
  ],
  bounds: { maxStates: 200_000 },
  expect: holdsEverywhere(),
};
