/** zbud: three designs of where its metadata and handle live (see designs.ts). */
export { zbudDesigns, isZbudDesign, zbudDesignDocs, zbudPageFieldAssignments, ZBUD_PAGE_SLOTS, defaultZbudOptions } from './designs.js';
export type { ZbudDesign, ZbudOptions, ZbudPageFields, ZbudDesignDoc } from './designs.js';
export { zbudMutations, zbudMutationIds, isZbudMutation } from './mutations.js';
export type { ZbudMutationId, ZbudMutationDoc } from './mutations.js';
export { ZbudMachine, ZV, LIST_NONE, LIST_UNBUDDIED, LIST_BUDDIED } from './machine.js';
export { buildZbudMachine, zbudTransitionSystem, validateZbudSpec } from './system.js';
export type { ZbudSpec } from './system.js';
export { misclassified } from './steps.js';
export { entryName, FIRST, LAST, NCHUNKS } from './program.js';
export type { ZbudOp, ZbudPoolShape } from './program.js';
