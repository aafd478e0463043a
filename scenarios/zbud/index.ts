import type { ZbudScenario } from './types.js';
import { relocateFreesPage, relocateMapped, relocateMixed, relocateVsLoad, relocateVsReclaim } from './relocation.js';
import { freeUnderReclaim, reclaimVsInvalidate, storeVsReclaim } from './reclaim.js';
import { walker, walkerCountsInMapping, walkerLruPrivate } from './walker.js';

export type { ZbudScenario } from './types.js';

/** The zbud scenarios of the default suite. */
export const zbudScenarios: readonly ZbudScenario[] = [
  relocateVsLoad, relocateFreesPage, relocateVsReclaim, relocateMixed, relocateMapped, reclaimVsInvalidate, storeVsReclaim, freeUnderReclaim,
  walker, walkerCountsInMapping, walkerLruPrivate,
];
