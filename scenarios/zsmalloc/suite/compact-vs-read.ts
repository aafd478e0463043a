import { holdsEverywhere, allDesigns, type Scenario } from '../types.js';
import { A, D, compact, read } from '../ops.js';
import { compactionPool, compactionSetup } from './compact-vs-free.js';

export const scenario: Scenario = {
  id: 'compact-vs-read',
  title: 'zs_compact against zs_obj_read of the objects it moves',
  description: 'A reader maps A and D while compaction moves objects: zspage_write_trylock(src) fails while a reader holds src (E6), or the pin excludes them (E2); content is conserved.',
  designs: allDesigns,
  shape: compactionPool,
  setup: compactionSetup,
  threads: [
    { name: 'compact', ops: [compact()] },
    { name: 'reader', ops: [read(A), read(D)] },
  ],
  bounds: { maxStates: 200_000 },
  expect: holdsEverywhere(),
};
