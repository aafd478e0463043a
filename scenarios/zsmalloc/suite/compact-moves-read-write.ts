import { holdsEverywhere, allDesigns, type Scenario } from '../types.js';
import { A, D, compact, read, write } from '../ops.js';
import { compactionPool, compactionSetup } from './compact-vs-free.js';

/** Compaction may take either zspage as its source (both are on one fullness list, whose head
 *  depends on insertion order), so the object it moves is A or D: both are read and written. */
export const compactMovesConfig = { picks: 'any' } as const;

export const scenario: Scenario = {
  id: 'compact-moves-read-write',
  title: 'zs_compact against reads and writes of the object it moves',
  description: 'Compaction picks any head of the fullness list as source and destination, so the object it moves is one a second thread reads and writes through its handle: the reader resolves obj = *h under pool->lock (read) and then holds the zspage read lock, so migrate_zspage either waits for it (zspage_write_trylock fails) or has already rewritten *h; every access goes through the location *h names.',
  designs: allDesigns,
  shape: compactionPool,
  setup: compactionSetup,
  config: compactMovesConfig,
  threads: [
    { name: 'compact', ops: [compact()] },
    { name: 'user', ops: [read(A), write(D, 5), read(D), write(A, 6)] },
  ],
  bounds: { maxStates: 200_000 },
  expect: holdsEverywhere(),
};
