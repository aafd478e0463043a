import { holdsEverywhere, allDesigns, type Scenario } from '../types.js';
import { A, compact, migrate, read } from '../ops.js';
import { compactionPool, compactionSetup } from './compact-vs-free.js';

/** The two readers run the same program, so thread symmetry applies to them. */
export const scenario: Scenario = {
  id: 'two-readers-compact-migrate',
  title: 'Two readers of one object while compaction moves it and the core migrates any page',
  description: 'Two zspages with one object each (A in zspage[0], D in zspage[1]): two readers map A at once (zs_obj_read_begin: pool->lock read, then the zspage read lock; legacy: zs_map_object pins the handle and takes the zspage migrate read lock) while compaction moves A or D between the zspages and the core migrates any page. A reader\'s zspage lock makes compaction\'s zspage_write_trylock of the source and zs_page_migrate\'s write lock wait or fail; both readers must read A\'s payload wherever A lives.',
  designs: allDesigns,
  shape: compactionPool,
  setup: compactionSetup,
  threads: [
    { name: 'reader0', ops: [read(A)] },
    { name: 'reader1', ops: [read(A)] },
    { name: 'compact', ops: [compact()] },
    { name: 'migrate', ops: [migrate()] },
  ],
  bounds: { maxStates: 400_000 },
  expect: holdsEverywhere(),
};
