import { holdsEverywhere, allDesigns, spanningPool, type Scenario } from '../types.js';
import { A, B, malloc, migrate, read } from '../ops.js';

/** Six identical readers: thread symmetry explores one interleaving of each set of 6! = 720
 *  interchangeable ones (about 27x fewer states under legacy, 127x under zpdesc and memdesc),
 *  in the safety search and in the progress pass (explorer/liveness.ts progressOnQuotient). */
export const scenario: Scenario = {
  id: 'six-readers-migrate-spanning',
  title: 'Six readers of an object spanning two pages while the core migrates either page',
  description: 'Six threads read B (object 1 of a 2-page zspage, split across the page boundary) at once while the core isolates either page and migrates it or puts it back. zpdesc/memdesc: zs_obj_read_begin takes pool->lock for reading, then zspage_read_lock, which counts any number of readers and only waits for a writer; zs_page_migrate\'s zspage_write_trylock (writers only ever trylock) fails, and the migration gives up, while any reader holds it. legacy (E2): zs_map_object pins the handle (pin_tag, a bit spinlock), so the readers take turns, and zs_page_migrate\'s migrate_write_lock waits for the reader inside. Every reader must see both parts of B\'s payload, whichever page moved.',
  designs: allDesigns,
  shape: spanningPool(5),
  setup: [malloc(A, 1), malloc(B, 2)],
  threads: [
    ...[0, 1, 2, 3, 4, 5].map((i) => ({ name: `reader${i}`, ops: [read(B)] })),
    { name: 'migrate', ops: [migrate()] },
  ],
  bounds: { maxStates: 8_000_000 },
  expect: holdsEverywhere(),
};
