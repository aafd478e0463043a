import { holdsEverywhere, allDesigns, type Scenario } from '../types.js';
import { A, D, compact, free } from '../ops.js';
import { compactionPool, compactionSetup } from './compact-vs-free.js';
import { compactMovesConfig } from './compact-moves-read-write.js';

export const scenario: Scenario = {
  id: 'compact-moves-free',
  title: 'zs_compact against zs_free of the object it moves',
  description: 'With every list head explored, compaction moves A or D while another thread frees both: zs_free resolves obj = *h under pool->lock (read) and frees through that location, so it frees the object where compaction left it (before or after the move, never in between).',
  designs: allDesigns,
  shape: compactionPool,
  setup: compactionSetup,
  config: compactMovesConfig,
  threads: [
    { name: 'compact', ops: [compact()] },
    { name: 'free', ops: [free(A), free(D)] },
  ],
  bounds: { maxStates: 200_000 },
  expect: holdsEverywhere(),
};
