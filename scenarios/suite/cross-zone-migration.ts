import { allDesigns, holdsEverywhere, type Scenario } from '../types.js';
import { A, B, free, malloc, migrate } from '../ops.js';

/** Frames 0-1 (the zspage) are in zone 0, the free frames 2-3 in zone 1: compaction_alloc can
 *  only hand the core a page of the other zone. */
export const twoZonePool = {
  pageUnits: 3, classes: [{ size: 2, pagesPerZspage: 2 }], pageFrames: 4, zspageSlots: 1, handles: 2, zones: [0, 0, 1, 1],
};

export const scenario: Scenario = {
  id: 'cross-zone-migration',
  title: 'Migration of both pages of a zspage into another zone, racing zs_free',
  description: 'Two core threads migrate page 0 and page 1 of a zone-0 zspage into zone-1 frames while a user frees A: zs_page_migrate moves NR_ZSPAGES from the old frame\'s zone to the new one\'s, and __free_zspage decrements the zone each chain page is in at that time.',
  designs: allDesigns,
  shape: twoZonePool,
  setup: [malloc(A, 1), malloc(B, 2)],
  threads: [
    { name: 'core0', ops: [migrate([0], false)] },
    { name: 'core1', ops: [migrate([1], false)] },
    { name: 'user', ops: [free(A)] },
  ],
  bounds: { maxStates: 300_000 },
  expect: holdsEverywhere(),
};
