import type { BuddyScenario } from './types.js';
import {
  bugDescriptorFreed, bugExpandZone, bugMergeOrder, bugNoListDel, cmmaDiscard, freeMergeAlloc, initOnFree, reporting, reportingMixed, reportingNeighbours, walker,
} from './suite.js';

export type { BuddyScenario } from './types.js';

/** The buddy-allocator scenarios of the default suite. */
export const buddyScenarios: readonly BuddyScenario[] = [
  freeMergeAlloc, reporting, reportingNeighbours, reportingMixed, initOnFree, cmmaDiscard, walker,
  bugMergeOrder, bugNoListDel, bugExpandZone, bugDescriptorFreed,
];
