import { allDesigns, holdsEverywhere, type Scenario } from '../types.js';
import { A, D, compact, free, migrate, read } from '../ops.js';
import { compactionPool, compactionSetup } from './compact-vs-free.js';

/** Built without CONFIG_COMPACTION (every list head explored). */
export const noCompactionConfig = { compaction: false, picks: 'any' } as const;

export const scenario: Scenario = {
  id: 'no-compaction-build',
  title: '!CONFIG_COMPACTION: zs_compact, reads and the migration core',
  description: 'Without CONFIG_COMPACTION SetZsPageMovable is compiled out, so the core cannot isolate a zsmalloc page, kick_deferred_free is empty, and (E2) the zspage rwlock is a no-op; zs_compact still runs, excluded from readers by the zspage lock (E6) or the handle pin (E2).',
  designs: allDesigns,
  shape: { ...compactionPool, pageFrames: 6 },
  setup: compactionSetup,
  config: noCompactionConfig,
  threads: [
    { name: 'compact', ops: [compact()] },
    { name: 'reader', ops: [read(A), read(D), free(A)] },
    { name: 'core', ops: [migrate([0, 2])] },
  ],
  bounds: { maxStates: 200_000 },
  expect: holdsEverywhere(),
};
