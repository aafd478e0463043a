/** The buddy allocator's free-page state in three layouts (see designs.ts). */
export { buddyDesigns, isBuddyDesign, buddyDesignDocs, defaultBuddyOptions } from './designs.js';
export type { BuddyDesign, BuddyOptions, BuddyDesignDoc } from './designs.js';
export { buddyMutations, buddyMutationIds, isBuddyMutation } from './mutations.js';
export type { BuddyMutationId, BuddyMutationDoc } from './mutations.js';
export { BuddyMachine, BV, OWNER_FREE, OWNER_ALLOCATED, OWNER_REPORTING } from './machine.js';
export { buildBuddyMachine, buddyTransitionSystem, validateBuddySpec } from './system.js';
export type { BuddySpec } from './system.js';
export { ZONE_ID } from './program.js';
export type { BuddyOp, ZoneShape } from './program.js';
