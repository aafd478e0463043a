import { holdsEverywhere, allDesigns, spanningPool, type Scenario } from '../types.js';
import { A, B, free, malloc, read } from '../ops.js';

export const scenario: Scenario = {
  id: 'malloc-enomem',
  title: 'alloc_zspage runs out of pages and undoes',
  description: 'Three frames for two racing allocations that each need a new 2-page zspage when neither finds room: one gets its pages, the other fails after one page and frees what it took.',
  designs: allDesigns,
  shape: { ...spanningPool(3), zspageSlots: 2 },
  setup: [],
  threads: [
    { name: 'mallocA', ops: [malloc(A, 1), read(A), free(A)] },
    { name: 'mallocB', ops: [malloc(B, 2), free(B)] },
  ],
  bounds: { maxStates: 200_000 },
  expect: holdsEverywhere(),
};
