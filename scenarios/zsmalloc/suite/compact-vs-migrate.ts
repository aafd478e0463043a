import { holdsEverywhere, allDesigns, type Scenario } from '../types.js';
import { A, B, C, D, compact, free, malloc, migrate } from '../ops.js';
import { compactionPool } from './compact-vs-free.js';

export const scenario: Scenario = {
  id: 'compact-vs-migrate',
  title: 'zs_compact against page migration',
  description: 'zspage[0] holds A and B, zspage[1] holds D: compaction fills zspage[0] (then drops and retakes its locks, the cond_resched path), empties and frees a source zspage while the core isolates and migrates one of its pages (pool->lock write serialises them in E6; E2 isolation refuses zspages compaction took off-list).',
  designs: allDesigns,
  shape: { ...compactionPool, pageFrames: 5 },
  setup: [malloc(A, 1), malloc(B, 2), malloc(C, 3), malloc(D, 4), free(C)],
  threads: [
    { name: 'compact', ops: [compact()] },
    { name: 'migrate', ops: [migrate([0, 2], false)] },
  ],
  bounds: { maxStates: 400_000 },
  expect: holdsEverywhere(),
};
