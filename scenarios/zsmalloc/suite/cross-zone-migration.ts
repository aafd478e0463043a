import { allDesigns, holdsEverywhere, type Scenario } from '../types.js';
import { A, B, free, malloc, migrate } from '../ops.js';

/** Frames 0-1 (the zspage) and 3 are in zone 0, frame 2 in zone 1: the lowest free frame
 *  compaction_alloc hands the core is in the other zone. */
export const twoZonePool = {
  pageUnits: 3, classes: [{ size: 2, pagesPerZspage: 2 }], pageFrames: 4, zspageSlots: 1, handles: 2, zones: [0, 0, 1, 0],
};

export const scenario: Scenario = {
  id: 'cross-zone-migration',
  title: 'Migration of both pages of a zspage into another zone, racing zs_free',
  description: 'Two core threads migrate page 0 and page 1 of a zone-0 zspage, each into whichever free frame compaction_alloc hands out (zone 1 or zone 0), while a user frees A: zs_page_migrate moves NR_ZSPAGES from the old frame\'s zone to the new one\'s only when they differ, and __free_zspage decrements the zone each chain page is in at that time.',
  designs: allDesigns,
  shape: twoZonePool,
  config: { picks: 'any' },
  setup: [malloc(A, 1), malloc(B, 2)],
  threads: [
    { name: 'core0', ops: [migrate([0], false)] },
    { name: 'core1', ops: [migrate([1], false)] },
    { name: 'user', ops: [free(A)] },
  ],
  bounds: { maxStates: 300_000 },
  expect: holdsEverywhere(),
};
