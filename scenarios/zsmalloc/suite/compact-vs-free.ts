import { holdsEverywhere, allDesigns, type Scenario } from '../types.js';
import { A, B, C, D, compact, free, malloc } from '../ops.js';

/** Two zspages with one object each (A in zspage[0], D in zspage[1]): compaction moves one
 *  into the other and frees the emptied source. */
export const compactionSetup = [malloc(A, 1), malloc(B, 2), malloc(C, 3), malloc(D, 4), free(B), free(C)];
export const compactionPool = { pageUnits: 3, classes: [{ size: 2, pagesPerZspage: 2 }], pageFrames: 5, zspageSlots: 2, handles: 4 };

export const scenario: Scenario = {
  id: 'compact-vs-free',
  title: 'zs_compact against zs_free of an object being moved',
  description: 'Compaction migrates D (or A) between zspages under pool->lock write + class->lock while another thread frees A.',
  designs: allDesigns,
  shape: compactionPool,
  setup: compactionSetup,
  threads: [
    { name: 'compact', ops: [compact()] },
    { name: 'free', ops: [free(A)] },
  ],
  bounds: { maxStates: 200_000 },
  expect: holdsEverywhere(),
};
